// Code refs become React.lazy components once per extension, inside a boundary that shows why one failed:
// the loader's own message hides the cause ("Shared module X doesn't exist in shared scope default").
import type { CodeRef } from '@openshift/dynamic-plugin-sdk';
import { Alert, Bullseye, PageSection, Spinner } from '@patternfly/react-core';
import { Component, type ComponentType, lazy, type ReactNode, Suspense } from 'react';

const components = new Map<string, ComponentType<Record<string, unknown>>>();

export function lazyComponent(
  uid: string,
  codeRef: CodeRef<ComponentType<Record<string, unknown>>>,
): ComponentType<Record<string, unknown>> {
  let c = components.get(uid);
  if (!c) {
    c = lazy(async () => ({ default: await codeRef() }));
    components.set(uid, c);
  }
  return c;
}

const describe = (error: unknown): string => {
  const parts: string[] = [];
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    parts.push(e instanceof Error ? e.message : String(e));
    if (parts.length > 5) break;
  }
  return parts.join(' — caused by: ');
};

export class PageErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state = { error: undefined as unknown };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override render() {
    if (this.state.error === undefined) return this.props.children;
    return (
      <PageSection>
        <Alert variant="danger" isInline title="This page failed to load" data-test="page-error">
          {describe(this.state.error)}
        </Alert>
      </PageSection>
    );
  }
}

export const Loading = () => (
  <Bullseye className="pf-v6-u-p-xl">
    <Spinner aria-label="Loading" />
  </Bullseye>
);

export const LazyPage = ({ children }: { children: ReactNode }) => (
  <PageErrorBoundary>
    <Suspense fallback={<Loading />}>{children}</Suspense>
  </PageErrorBoundary>
);
