import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';

/** Renders a page inside a router at `url`, matching `path` the way the console's routes do. */
export const renderAt = (element: ReactElement, { url = '/', path = '*' } = {}) =>
  render(
    <MemoryRouter initialEntries={[url]}>
      <Routes>
        <Route path={path} element={element} />
        <Route path="*" element={<div>left the page</div>} />
      </Routes>
    </MemoryRouter>,
  );
