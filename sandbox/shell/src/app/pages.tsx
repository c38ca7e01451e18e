// The shell's own pages: the plugin's resource pages where it contributes them, generic ones (a list of
// names, an object's YAML) for the kinds it only links to, the YAML create page, and not-found.
import { useExtensions, usePluginInfo } from '@openshift/dynamic-plugin-sdk';
import type * as Real from '@openshift-console/dynamic-plugin-sdk';
import { Alert, PageSection, Title } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { parse } from 'yaml';
import { ResourceYAMLEditor } from '../sdk/components/ResourceYAMLEditor';
import { resourcePath } from '../sdk/components/ResourceLink';
import { Timestamp } from '../sdk/components/Timestamp';
import { useK8sWatchResource } from '../sdk/hooks';
import { modelFor, parseReference } from '../sdk/models';
import { isResourceDetails, isResourceList, isYamlTemplate, modelMatches } from './extensions';
import { lazyComponent, LazyPage, Loading } from './lazy';

export const NotFound = () => (
  <PageSection>
    <Title headingLevel="h1">404: Page Not Found</Title>
  </PageSection>
);

const GenericList = ({ reference, namespace }: { reference: string; namespace?: string }) => {
  const model = modelFor(reference);
  const [items, loaded, error] = useK8sWatchResource<Real.K8sResourceCommon[]>({
    groupVersionKind: parseReference(reference),
    isList: true,
    ...(namespace ? { namespace } : {}),
  });
  if (!model) return <NotFound />;
  return (
    <PageSection>
      <Title headingLevel="h1">{model.labelPlural}</Title>
      {error ? <Alert isInline variant="danger" title={String((error as Error).message)} /> : null}
      {!loaded ? (
        <Loading />
      ) : (
        <Table aria-label={model.labelPlural} variant="compact">
          <Thead>
            <Tr>
              <Th>Name</Th>
              {model.namespaced ? <Th>Namespace</Th> : null}
              <Th>Created</Th>
            </Tr>
          </Thead>
          <Tbody>
            {items.slice(0, 200).map((o) => (
              <Tr key={`${o.metadata?.namespace}/${o.metadata?.name}`}>
                <Td>
                  <Link to={resourcePath(reference, o.metadata?.name, o.metadata?.namespace)}>
                    {o.metadata?.name}
                  </Link>
                </Td>
                {model.namespaced ? <Td>{o.metadata?.namespace}</Td> : null}
                <Td>
                  <Timestamp timestamp={o.metadata?.creationTimestamp} />
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
    </PageSection>
  );
};

const GenericDetails = ({
  reference,
  name,
  namespace,
}: {
  reference: string;
  name: string;
  namespace?: string;
}) => {
  const [object, loaded, error] = useK8sWatchResource<Real.K8sResourceKind>({
    groupVersionKind: parseReference(reference),
    name,
    ...(namespace ? { namespace } : {}),
  });
  if (error)
    return (
      <PageSection>
        <Alert isInline variant="danger" title={String((error as Error).message)} />
      </PageSection>
    );
  if (!loaded || !object) return <Loading />;
  return (
    <PageSection>
      <Title headingLevel="h1" className="pf-v6-u-mb-md">
        {object.kind} {name}
      </Title>
      <ResourceYAMLEditor initialResource={object} hideHeader />
    </PageSection>
  );
};

export const ResourceListPage = () => {
  const { reference = '', ns } = useParams();
  const pages = useExtensions(isResourceList).filter((e) =>
    modelMatches(e.properties.model, reference),
  );
  const page = pages[0];
  if (!page) return <GenericList reference={reference} {...(ns ? { namespace: ns } : {})} />;
  const Page = lazyComponent(page.uid, page.properties.component);
  return (
    <LazyPage>
      <Page kind={reference} {...(ns ? { namespace: ns } : {})} />
    </LazyPage>
  );
};

export const ResourceDetailsPage = () => {
  const { reference = '', name = '', ns } = useParams();
  const pages = useExtensions(isResourceDetails).filter((e) =>
    modelMatches(e.properties.model, reference),
  );
  const page = pages[0];
  if (!page)
    return <GenericDetails reference={reference} name={name} {...(ns ? { namespace: ns } : {})} />;
  const Page = lazyComponent(page.uid, page.properties.component);
  return (
    <LazyPage>
      <Page kind={reference} name={name} {...(ns ? { namespace: ns } : {})} />
    </LazyPage>
  );
};

/** Whether every plugin of the page has loaded or failed: until then, a plugin's extensions may be missing. */
const usePluginsSettled = (): boolean => {
  const plugins = usePluginInfo();
  return window.SERVER_FLAGS.consolePlugins.every((name) =>
    plugins.some((p) => p.manifest.name === name && p.status !== 'pending'),
  );
};

/**
 * `~new`: the model's `console.yaml-template` (or a bare object) in the YAML editor, in create mode. Opened
 * directly (a bookmark, a reload) the page waits for the plugins, so that the bare object does not stand in
 * for a template that has not loaded yet.
 */
export const CreateResourcePage = () => {
  const { reference = '', ns } = useParams();
  const templates = useExtensions(isYamlTemplate).filter((e) =>
    modelMatches(e.properties.model, reference),
  );
  const template = templates.find((t) => t.properties.name === 'default') ?? templates[0];
  const settled = usePluginsSettled();
  const [initial, setInitial] = useState<Real.K8sResourceKind>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    const { group, version, kind } = parseReference(reference);
    const bare = {
      apiVersion: group ? `${group}/${version}` : version,
      kind,
      metadata: { name: 'example', ...(ns ? { namespace: ns } : {}) },
    } as Real.K8sResourceKind;
    if (!template) {
      if (settled) setInitial(bare);
      return;
    }
    template.properties.template().then(
      (text) => setInitial(parse(text) as Real.K8sResourceKind),
      (e: unknown) => setError(e),
    );
  }, [reference, ns, template, settled]);
  if (error) throw error;
  if (!initial) return <Loading />;
  return (
    <PageSection>
      {/* the editor reads its text once: a new initial object is a new editor */}
      <ResourceYAMLEditor key={JSON.stringify(initial)} initialResource={initial} create />
    </PageSection>
  );
};
