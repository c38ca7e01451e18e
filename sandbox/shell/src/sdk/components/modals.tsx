// The console's label and delete modals, opened through launcher hooks and rendered by <ModalHost> once.
import type * as Real from '@openshift-console/dynamic-plugin-sdk';
import {
  Alert,
  Button,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
  TextInput,
} from '@patternfly/react-core';
import { type ReactNode, useCallback, useState, useSyncExternalStore } from 'react';
import { useNavigate } from 'react-router';
import { k8sDelete, k8sPatch } from '../resources';
import { modelOfObject } from '../models';

type SDK = typeof Real;
type Render = (close: () => void) => ReactNode;

let current: Render | undefined;
const listeners = new Set<() => void>();
const open = (render: Render | undefined) => {
  current = render;
  listeners.forEach((l) => l());
};

export const ModalHost = () => {
  const render = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
  return render ? <>{render(() => open(undefined))}</> : null;
};

const modelOf = (resource: Real.K8sResourceCommon) => {
  const model = modelOfObject(resource);
  if (!model) throw new Error(`no model for ${resource.apiVersion} ${resource.kind}`);
  return model;
};

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

const LabelsModal = ({
  resource,
  close,
}: {
  resource: Real.K8sResourceCommon;
  close: () => void;
}) => {
  const [text, setText] = useState(
    Object.entries(resource.metadata?.labels ?? {})
      .map(([k, v]) => (v ? `${k}=${v}` : k))
      .join(', '),
  );
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const save = async () => {
    const labels: Record<string, string> = {};
    for (const part of text
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const [k = '', ...v] = part.split('=');
      labels[k.trim()] = v.join('=').trim();
    }
    setSaving(true);
    try {
      await k8sPatch({
        model: modelOf(resource),
        resource,
        data: [
          {
            op: resource.metadata?.labels ? 'replace' : 'add',
            path: '/metadata/labels',
            value: labels,
          },
        ],
      });
      close();
    } catch (e) {
      setError(errorText(e));
      setSaving(false);
    }
  };
  return (
    <Modal isOpen variant="small" onClose={close} aria-labelledby="labels-modal-title">
      <ModalHeader title="Edit labels" labelId="labels-modal-title" />
      <ModalBody>
        <p className="pf-v6-u-mb-sm">
          Labels help you organize and select resources. Comma-separated <code>key=value</code>{' '}
          pairs for <strong>{resource.metadata?.name}</strong>.
        </p>
        <TextInput aria-label="Labels" value={text} onChange={(_e, v) => setText(v)} />
        {error ? (
          <Alert isInline variant="danger" title="An error occurred" className="pf-v6-u-mt-md">
            {error}
          </Alert>
        ) : null}
      </ModalBody>
      <ModalFooter>
        <Button variant="primary" onClick={() => void save()} isDisabled={saving}>
          Save
        </Button>
        <Button variant="link" onClick={close}>
          Cancel
        </Button>
      </ModalFooter>
    </Modal>
  );
};

const DeleteModal = ({
  resource,
  redirectTo,
  message,
  btnText,
  close,
}: {
  resource: Real.K8sResourceCommon;
  redirectTo?: Parameters<SDK['useDeleteModal']>[1];
  message?: ReactNode;
  btnText?: ReactNode;
  close: () => void;
}) => {
  const navigate = useNavigate();
  const [error, setError] = useState<string>();
  const [deleting, setDeleting] = useState(false);
  const confirm = async () => {
    setDeleting(true);
    try {
      await k8sDelete({ model: modelOf(resource), resource });
      close();
      if (redirectTo) navigate(redirectTo);
    } catch (e) {
      setError(errorText(e));
      setDeleting(false);
    }
  };
  return (
    <Modal isOpen variant="small" onClose={close} aria-labelledby="delete-modal-title">
      <ModalHeader
        title={`Delete ${resource.kind}?`}
        titleIconVariant="warning"
        labelId="delete-modal-title"
      />
      <ModalBody>
        {message ?? (
          <p>
            Are you sure you want to delete <strong>{resource.metadata?.name}</strong>?
          </p>
        )}
        {error ? (
          <Alert isInline variant="danger" title="An error occurred" className="pf-v6-u-mt-md">
            {error}
          </Alert>
        ) : null}
      </ModalBody>
      <ModalFooter>
        <Button variant="danger" onClick={() => void confirm()} isDisabled={deleting}>
          {btnText ?? 'Delete'}
        </Button>
        <Button variant="link" onClick={close}>
          Cancel
        </Button>
      </ModalFooter>
    </Modal>
  );
};

export const useLabelsModal: SDK['useLabelsModal'] = (resource) =>
  useCallback(() => open((close) => <LabelsModal resource={resource} close={close} />), [resource]);

export const useDeleteModal: SDK['useDeleteModal'] = (resource, redirectTo, message, btnText) =>
  useCallback(
    () =>
      open((close) => (
        <DeleteModal
          resource={resource}
          redirectTo={redirectTo}
          message={message}
          btnText={btnText}
          close={close}
        />
      )),
    [resource, redirectTo, message, btnText],
  );
