// The page frame: masthead, the sandbox banner on every page, the navigation, and the routes.
import { useExtensions } from '@openshift/dynamic-plugin-sdk';
import {
  Banner,
  Masthead,
  MastheadBrand,
  MastheadContent,
  MastheadMain,
  Page,
  PageSection,
  PageSidebar,
  PageSidebarBody,
  Title,
} from '@patternfly/react-core';
import { useState } from 'react';
import { Route, Routes } from 'react-router';
import { ModalHost } from '../sdk/components/modals';
import { isRoutePage } from './extensions';
import { lazyComponent, LazyPage } from './lazy';
import { Navigation } from './Navigation';
import { CreateResourcePage, NotFound, ResourceDetailsPage, ResourceListPage } from './pages';
import { PerspectiveContext } from './perspective';

const PERSPECTIVE_KEY = 'kmm-hub-shell.perspective';

const Home = () => (
  <PageSection>
    <Title headingLevel="h1">Overview</Title>
    <p className="pf-v6-u-mt-md">
      The kmm-hub console plugin, loaded as OpenShift console 4.22 loads it, against a simulated
      fleet. Use the Operators section, or switch to the Fleet Management perspective.
    </p>
  </PageSection>
);

export const Shell = () => {
  const [perspective, setPerspective] = useState(
    () => localStorage.getItem(PERSPECTIVE_KEY) ?? 'admin',
  );
  const routes = useExtensions(isRoutePage).filter(
    (r) => !r.properties.perspective || r.properties.perspective === perspective,
  );
  const masthead = (
    <Masthead>
      <MastheadMain>
        <MastheadBrand>
          <Title headingLevel="h4" style={{ color: 'inherit' }}>
            kmm-hub console shell
          </Title>
        </MastheadBrand>
      </MastheadMain>
      <MastheadContent />
    </Masthead>
  );
  return (
    <PerspectiveContext.Provider
      value={{
        id: perspective,
        set: (id) => {
          localStorage.setItem(PERSPECTIVE_KEY, id);
          setPerspective(id);
        },
      }}
    >
      <Banner color="yellow" data-test="sandbox-banner">
        kmm-hub sandbox: simulated fleet
      </Banner>
      <Page
        masthead={masthead}
        sidebar={
          <PageSidebar>
            <PageSidebarBody>
              <Navigation />
            </PageSidebarBody>
          </PageSidebar>
        }
      >
        <Routes>
          <Route path="/" element={<Home />} />
          {routes.flatMap((r) =>
            ([] as string[]).concat(r.properties.path).map((path) => {
              const Component = lazyComponent(r.uid, r.properties.component);
              return (
                <Route
                  key={`${r.uid}${path}`}
                  path={r.properties.exact ? path : `${path}/*`}
                  element={
                    <LazyPage>
                      <Component />
                    </LazyPage>
                  }
                />
              );
            }),
          )}
          <Route path="/k8s/cluster/:reference" element={<ResourceListPage />} />
          <Route path="/k8s/all-namespaces/:reference" element={<ResourceListPage />} />
          <Route path="/k8s/ns/:ns/:reference" element={<ResourceListPage />} />
          <Route path="/k8s/cluster/:reference/~new" element={<CreateResourcePage />} />
          <Route path="/k8s/ns/:ns/:reference/~new" element={<CreateResourcePage />} />
          <Route path="/k8s/cluster/:reference/:name/*" element={<ResourceDetailsPage />} />
          <Route path="/k8s/ns/:ns/:reference/:name/*" element={<ResourceDetailsPage />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Page>
      <ModalHost />
    </PerspectiveContext.Provider>
  );
};
