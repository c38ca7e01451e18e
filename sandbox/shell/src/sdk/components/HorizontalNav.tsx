import type * as Real from '@openshift-console/dynamic-plugin-sdk';
import { PageSection, Tab, Tabs, TabTitleText } from '@patternfly/react-core';
import { Route, Routes, useLocation, useNavigate, useParams } from 'react-router';

type SDK = typeof Real;

/** Tabs routed under the current page: `''` is the index tab, any other href a sub-path. */
export const HorizontalNav: SDK['HorizontalNav'] = ({ pages }) => {
  const navigate = useNavigate();
  const rest = useParams()['*'] ?? '';
  const { pathname } = useLocation();
  // The details page's own path: the URL less the tab's sub-path.
  const base = pathname.slice(0, pathname.length - rest.length).replace(/\/$/, '');
  const hrefOf = (p: Real.NavPage) => p.href ?? p.path ?? '';
  const active = pages.find((p) => hrefOf(p) !== '' && rest.startsWith(hrefOf(p))) ?? pages[0];
  return (
    <>
      <PageSection type="tabs">
        <Tabs
          activeKey={active ? hrefOf(active) : ''}
          onSelect={(_e, key) => navigate(key === '' ? base : `${base}/${String(key)}`)}
          aria-label="Resource tabs"
        >
          {pages.map((p) => (
            <Tab key={p.name} eventKey={hrefOf(p)} title={<TabTitleText>{p.name}</TabTitleText>} />
          ))}
        </Tabs>
      </PageSection>
      <PageSection>
        <Routes>
          {pages.map((p) =>
            hrefOf(p) ? (
              <Route key={p.name} path={`${hrefOf(p)}/*`} element={<p.component />} />
            ) : (
              <Route key={p.name} index element={<p.component />} />
            ),
          )}
        </Routes>
      </PageSection>
    </>
  );
};
