// The left navigation: the current perspective's sections, holding the shell's items and every plugin
// `console.navigation/*` item of that perspective (an item without one belongs to `admin`).
import { useExtensions } from '@openshift/dynamic-plugin-sdk';
import { FormSelect, FormSelectOption, Nav, NavExpandable, NavList } from '@patternfly/react-core';
import { NavLink, useLocation } from 'react-router';
import { isNavItem, type NavItem as NavExtension } from './extensions';
import { translateExtensionString } from './i18n';
import { PERSPECTIVES, usePerspective } from './perspective';

interface Item {
  id: string;
  name: string;
  href: string;
  insertAfter?: string | string[];
}

const hrefOf = (e: NavExtension): string => {
  const p = e.properties;
  if (p.href) return p.href;
  const m = p.model;
  const ref = m ? `${m.group || 'core'}~${m.version ?? ''}~${m.kind}` : '';
  return e.type === 'console.navigation/resource-ns'
    ? `/k8s/all-namespaces/${ref}`
    : `/k8s/cluster/${ref}`;
};

/** Places each item after the first of its `insertAfter` ids that is present, else at the end. */
function ordered(items: Item[]): Item[] {
  const out: Item[] = [];
  const later = items.filter((i) => {
    if (!i.insertAfter) {
      out.push(i);
      return false;
    }
    return true;
  });
  for (let pass = 0; pass < 3 && later.length; pass++) {
    for (const item of [...later]) {
      const after = ([] as string[]).concat(item.insertAfter ?? []);
      const at = after.map((id) => out.findIndex((o) => o.id === id)).find((i) => i >= 0);
      if (at !== undefined || pass === 2) {
        out.splice(at !== undefined ? at + 1 : out.length, 0, item);
        later.splice(later.indexOf(item), 1);
      }
    }
  }
  return out;
}

export const Navigation = () => {
  const { id: perspectiveId, set } = usePerspective();
  const perspective = PERSPECTIVES.find((p) => p.id === perspectiveId) ?? PERSPECTIVES[0]!;
  const extensions = useExtensions(isNavItem);
  const { pathname } = useLocation();
  return (
    <>
      <div className="pf-v6-u-p-md">
        <FormSelect
          aria-label="Perspective"
          value={perspective.id}
          onChange={(_e, value) => set(value)}
          data-test="perspective-switcher"
        >
          {PERSPECTIVES.map((p) => (
            <FormSelectOption key={p.id} value={p.id} label={p.name} />
          ))}
        </FormSelect>
      </div>
      <Nav aria-label="Main navigation">
        <NavList>
          {perspective.sections.map((section) => {
            const items = ordered([
              ...perspective.builtins.filter((b) => b.section === section.id),
              ...extensions
                .filter(
                  (e) =>
                    (e.properties.perspective ?? 'admin') === perspective.id &&
                    e.properties.section === section.id,
                )
                .map((e) => ({
                  id: e.properties.id,
                  name: translateExtensionString(e.properties.name),
                  href: hrefOf(e),
                  ...(e.properties.insertAfter ? { insertAfter: e.properties.insertAfter } : {}),
                })),
            ]);
            const active = items.some((i) => i.href !== '/' && pathname.startsWith(i.href));
            return (
              <NavExpandable key={section.id} title={section.name} isExpanded isActive={active}>
                {items.map((i) => (
                  <li key={i.id} className="pf-v6-c-nav__item">
                    <NavLink
                      to={i.href}
                      data-test={`nav-${i.id}`}
                      className={`pf-v6-c-nav__link${
                        (i.href === '/' ? pathname === '/' : pathname.startsWith(i.href))
                          ? ' pf-m-current'
                          : ''
                      }`}
                    >
                      {i.name}
                    </NavLink>
                  </li>
                ))}
              </NavExpandable>
            );
          })}
        </NavList>
      </Nav>
    </>
  );
};
