// A CodeMirror 6 editor with YAML highlighting; the document is owned by the editor, read through a ref.
import { yaml } from '@codemirror/lang-yaml';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { indentWithTab } from '@codemirror/commands';
import { useEffect, useRef } from 'react';

export interface YamlEditorHandle {
  getValue(): string;
  setValue(text: string): void;
}

/** Read-only also means not editable: no caret, no input, `contenteditable="false"`. */
const access = (readOnly: boolean): Extension => [
  EditorState.readOnly.of(readOnly),
  EditorView.editable.of(!readOnly),
];

export const YamlCodeEditor = ({
  initialValue,
  readOnly,
  onChange,
  handle,
}: {
  initialValue: string;
  readOnly?: boolean;
  onChange?: (text: string) => void;
  handle: { current: YamlEditorHandle | null };
}) => {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const accessCompartment = useRef(new Compartment());
  useEffect(() => {
    const editor = new EditorView({
      parent: host.current as HTMLDivElement,
      state: EditorState.create({
        doc: initialValue,
        extensions: [
          basicSetup,
          keymap.of([indentWithTab]),
          yaml(),
          accessCompartment.current.of(access(readOnly === true)),
          EditorView.contentAttributes.of({ 'aria-label': 'YAML editor' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) onChange?.(u.state.doc.toString());
          }),
          EditorView.theme({
            '&': { height: '60vh', border: '1px solid #d2d2d2' },
            '.cm-scroller': { overflow: 'auto' },
          }),
        ],
      }),
    });
    view.current = editor;
    handle.current = {
      getValue: () => editor.state.doc.toString(),
      setValue: (text) =>
        editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: text } }),
    };
    return () => {
      handle.current = null;
      view.current = null;
      editor.destroy();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the editor is created once; setValue replaces text
  }, []);
  // Read-only can change after the editor exists (an access review answers later).
  useEffect(() => {
    view.current?.dispatch({
      effects: accessCompartment.current.reconfigure(access(readOnly === true)),
    });
  }, [readOnly]);
  return <div ref={host} data-test="yaml-editor" />;
};
