// The console's YAML editor: edit, Save through the API (create or update), and the API server's error shown
// as the console shows it (an inline danger alert with the server's message). As the console's, an existing
// object is "View only" for a user the API server does not allow to update it (a SelfSubjectAccessReview).
import type * as Real from '@openshift-console/dynamic-plugin-sdk';
import { ActionGroup, Alert, Button, Label, Title } from '@patternfly/react-core';
import { LockIcon } from '@patternfly/react-icons';
import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { parse, stringify } from 'yaml';
import { useAccessReview } from '../hooks';
import { gvkOf, modelOfObject, referenceOf } from '../models';
import { k8sCreate, k8sUpdate } from '../resources';
import { YamlCodeEditor, type YamlEditorHandle } from './CodeMirror';
import { resourcePath } from './ResourceLink';

type SDK = typeof Real;

const toYaml = (o: unknown) => stringify(o, { lineWidth: 0 });

export const ResourceYAMLEditor: SDK['ResourceYAMLEditor'] = ({
  initialResource,
  header,
  onSave,
  readOnly,
  create,
  onChange,
  hideHeader,
}) => {
  const navigate = useNavigate();
  const editor = useRef<YamlEditorHandle | null>(null);
  const [error, setError] = useState<string>();
  const [success, setSuccess] = useState<string>();
  const [saving, setSaving] = useState(false);
  const model = modelOfObject(initialResource);
  const [canUpdate, checking] = useAccessReview({
    group: model?.apiGroup ?? '',
    resource: model?.plural ?? '',
    verb: 'update',
    name: initialResource.metadata?.name ?? '',
    ...(initialResource.metadata?.namespace
      ? { namespace: initialResource.metadata.namespace }
      : {}),
  });
  // Creating is not reviewed beforehand (the console does not either): the API server answers on Create.
  // While the review is under way the text is editable (as in the console) but there is no Save yet.
  const viewOnly = !create && !readOnly && !checking && !canUpdate;
  const editable = !readOnly && !viewOnly;
  const savable = editable && (create || canUpdate);

  const save = async () => {
    const text = editor.current?.getValue() ?? '';
    setError(undefined);
    setSuccess(undefined);
    if (onSave) return onSave(text);
    let object: Real.K8sResourceCommon;
    try {
      object = parse(text) as Real.K8sResourceCommon;
      if (!object || typeof object !== 'object') throw new Error('the document is not an object');
    } catch (e) {
      setError(`Error parsing YAML: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const model = modelOfObject(object);
    if (!model) {
      setError(
        `The server doesn't have a resource type "kind: ${object.kind}, apiVersion: ${object.apiVersion}"`,
      );
      return;
    }
    setSaving(true);
    try {
      if (create) {
        const created = await k8sCreate({ model, data: object });
        navigate(
          resourcePath(
            referenceOf(gvkOf(model)),
            created.metadata?.name,
            created.metadata?.namespace,
          ),
        );
      } else {
        const updated = await k8sUpdate({ model, data: object });
        setSuccess(
          `${updated.metadata?.name} has been updated to version ${updated.metadata?.resourceVersion}`,
        );
        editor.current?.setValue(toYaml(updated));
      }
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div>
      {hideHeader ? null : (
        <Title headingLevel="h2" className="pf-v6-u-mb-md">
          {header ??
            (create ? `Create ${initialResource.kind}` : `${initialResource.kind} details`)}
        </Title>
      )}
      {viewOnly ? (
        <Label icon={<LockIcon />} className="pf-v6-u-mb-md" data-test="yaml-view-only">
          View only
        </Label>
      ) : null}
      <YamlCodeEditor
        initialValue={toYaml(initialResource)}
        readOnly={!editable}
        onChange={onChange}
        handle={editor}
      />
      {error ? (
        <Alert
          isInline
          variant="danger"
          title="Error"
          className="pf-v6-u-mt-md"
          data-test="yaml-error"
        >
          {error}
        </Alert>
      ) : null}
      {success ? (
        <Alert
          isInline
          variant="success"
          title={success}
          className="pf-v6-u-mt-md"
          data-test="yaml-success"
        />
      ) : null}
      {!savable ? null : (
        <ActionGroup className="pf-v6-u-mt-md">
          <Button
            variant="primary"
            onClick={() => void save()}
            isDisabled={saving}
            data-test="save-changes"
          >
            {create ? 'Create' : 'Save'}
          </Button>
          {create ? null : (
            <Button
              variant="secondary"
              onClick={() => editor.current?.setValue(toYaml(initialResource))}
            >
              Reload
            </Button>
          )}
          <Button variant="link" onClick={() => navigate(-1)}>
            Cancel
          </Button>
        </ActionGroup>
      )}
    </div>
  );
};
