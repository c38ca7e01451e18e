// A CodeMirror 6 editor with YAML highlighting; the document is owned by the editor, read through a ref.
import { yaml } from '@codemirror/lang-yaml';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { indentWithTab } from '@codemirror/commands';
import { useEffect, useRef } from 'react';

export interface YamlEditorHandle {
  getValue(): string;
  setValue(text: string): void;
}

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
  useEffect(() => {
    const view = new EditorView({
      parent: host.current as HTMLDivElement,
      state: EditorState.create({
        doc: initialValue,
        extensions: [
          basicSetup,
          keymap.of([indentWithTab]),
          yaml(),
          EditorState.readOnly.of(readOnly === true),
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
    handle.current = {
      getValue: () => view.state.doc.toString(),
      setValue: (text) =>
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    };
    return () => {
      handle.current = null;
      view.destroy();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the editor is created once; setValue replaces text
  }, []);
  return <div ref={host} data-test="yaml-editor" />;
};
