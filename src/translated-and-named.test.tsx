// Every page, in every state the tests can put it in, rendered with a pseudo-locale in which each catalog
// entry reads ⟦...⟧: any word on screen (text, aria-label, title, placeholder, aria-valuetext, tooltips) that is
// neither inside ⟦⟧ nor part of the API objects shown is an English string that bypassed t() — including
// PatternFly's built-in defaults. And every interactive element has an accessible name, and every page a
// translated browser tab title.
import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Spinner } from '@patternfly/react-core';
import i18next from 'i18next';
import type { ReactElement } from 'react';
import en from '../locales/en/plugin__kmm-hub-console-plugin.json';
import { clusters, devicePlugin, EL96, gpuDriver, works } from './__fixtures__/fleet';
import { fleetManagementPerspective } from './__fixtures__/perspectives';
import { sdkMock } from './__mocks__/dynamic-plugin-sdk';
import { fakeCluster } from './test-utils/fake-cluster';
import { renderAt } from './test-utils/render';
import { I18N_NAMESPACE, usePluginTranslation } from './utils/i18n';
import { FLEET_SUMMARY_GVK, MCM_GVK, mcmDetailsPath, mcmListPath } from './utils/k8s';
import type { ManagedClusterModule } from './utils/model';
import KernelMatrixPage from './views/kernel-matrix/KernelMatrixPage';
import ManagedClusterModuleDetailsPage from './views/managedclustermodule/details/ManagedClusterModuleDetailsPage';
import ManagedClusterModuleListPage from './views/managedclustermodule/list/ManagedClusterModuleListPage';

const PSEUDO = 'qps';
const pseudo = Object.fromEntries(Object.entries(en).map(([k, v]) => [k, `⟦${v}⟧`]));

beforeAll(async () => {
  i18next.addResourceBundle(PSEUDO, I18N_NAMESPACE, pseudo);
  await i18next.changeLanguage(PSEUDO);
});
afterAll(async () => {
  await i18next.changeLanguage('en');
});

/** Texts the jest SDK mock renders itself (in the console, the console's own translated components do). */
const MOCK_TEXT = [
  /^Filter by (name|label)$/,
  /^Tabs$/,
  /^YAML editor$/,
  /^Events$/,
  /^Events of /,
  /^Not Found$/,
];
const MOCK_ELEMENTS = '[aria-label="YAML editor"]';

const ATTRIBUTES = ['aria-label', 'title', 'placeholder', 'aria-valuetext', 'alt'];

/** Every string value of the API objects on the page: what a page may show without translating it. */
const shownData = (): string[] => {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      out.push(...Object.keys(v));
      Object.values(v).forEach(walk);
    }
  };
  walk(fakeCluster.snapshot().objects);
  for (const error of fakeCluster.snapshot().errors.values()) walk((error as Error).message);
  return out;
};

/** The words of `text` outside ⟦⟧ (translations nest when one is interpolated into another). */
const untranslatedWords = (text: string): string[] => {
  let rest = text;
  for (let before = ''; before !== rest;) {
    before = rest;
    rest = rest.replace(/⟦[^⟦⟧]*⟧/g, ' ');
  }
  return rest.split(/[\s=·:,;()[\]/+"'`]+/).filter((w) => /[A-Za-z]/.test(w));
};

const englishOnPage = (): string[] => {
  const data = shownData();
  const isData = (word: string) => data.some((d) => d.includes(word));
  const found = new Set<string>();
  const check = (text: string | null, where: string) => {
    if (!text || MOCK_TEXT.some((re) => re.test(text.trim()))) return;
    for (const word of untranslatedWords(text)) {
      if (!isData(word)) found.add(`${where}: "${word}" in "${text.trim().slice(0, 80)}"`);
    }
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    // identifiers (<code>: field paths, kernel versions) and text marked as English (the model's and the
    // controller's messages, which are English wherever they are shown) are not translated
    if (node.parentElement?.closest(`code, [lang="en"], ${MOCK_ELEMENTS}`)) continue;
    check(node.textContent, `text in <${node.parentElement?.tagName.toLowerCase()}>`);
  }
  for (const el of document.body.querySelectorAll('*')) {
    for (const attribute of ATTRIBUTES) check(el.getAttribute(attribute), attribute);
  }
  return [...found];
};

const INTERACTIVE = [
  'button',
  'link',
  'textbox',
  'searchbox',
  'combobox',
  'switch',
  'checkbox',
  'menuitem',
  'tab',
  'spinbutton',
];

const unnamed = (): string[] => [
  ...INTERACTIVE.flatMap((role) =>
    screen.queryAllByRole(role, { name: '' }).map((el) => `${role}: ${el.outerHTML.slice(0, 120)}`),
  ),
  // focusable elements without an interactive role (the matrix cells) need a name too
  ...[...document.body.querySelectorAll('[tabindex="0"]')]
    .filter((el) => !el.getAttribute('aria-label') && !el.textContent?.trim())
    .map((el) => `focusable: ${el.outerHTML.slice(0, 120)}`),
];

/** The page's browser tab title, when it is missing or has English outside the catalog. */
const titleProblems = (): string[] => {
  const title = document.title;
  if (!title.includes('⟦')) return [`document title "${title}" is missing or untranslated`];
  const data = shownData();
  return untranslatedWords(title)
    .filter((word) => !data.some((d) => d.includes(word)))
    .map((word) => `document title: "${word}" in "${title}"`);
};

const expectTranslatedAndNamed = () => {
  expect(englishOnPage()).toEqual([]);
  expect(unnamed()).toEqual([]);
  expect(titleProblems()).toEqual([]);
};

const invalid: ManagedClusterModule = {
  ...gpuDriver,
  metadata: { ...gpuDriver.metadata, name: 'broken', uid: 'uid-broken' },
  spec: {
    ...gpuDriver.spec,
    moduleSpec: {
      selector: {},
      moduleLoader: {
        container: { modprobe: { moduleName: 'x' }, kernelMappings: [{ regexp: '(' }] },
      },
    },
  },
};

const details = (name: string, tab = '') =>
  renderAt(<ManagedClusterModuleDetailsPage />, {
    url: `${mcmDetailsPath(name)}${tab ? `/${tab}` : ''}`,
    path: `${mcmListPath()}/:name/*`,
  });

type Case = { name: string; render: () => void; interact?: () => Promise<void> };

const page = (element: ReactElement) => () => void renderAt(element);
const fleet = () => fakeCluster.set([gpuDriver, devicePlugin, invalid, ...clusters, ...works]);

const c = (name: string, render: Case['render'], interact?: Case['interact']): Case => ({
  name,
  render,
  interact,
});

const cases: Case[] = [
  c(
    'the list, with a row action menu open',
    () => {
      fleet();
      renderAt(<ManagedClusterModuleListPage />);
    },
    async () => {
      await userEvent
        .setup()
        .click(screen.getByRole('button', { name: '⟦Actions for gpu-driver⟧' }));
      expect(await screen.findAllByRole('menuitem')).toHaveLength(3);
    },
  ),
  c('the empty list', page(<ManagedClusterModuleListPage />)),
  c('the list with a filter that matches nothing', () => {
    fleet();
    renderAt(<ManagedClusterModuleListPage />, { url: '/list?name=nothing', path: '/list' });
  }),
  c('the list while loading', () => {
    fakeCluster.holdWatch(MCM_GVK);
    renderAt(<ManagedClusterModuleListPage />);
  }),
  c('the list with a load error', () => {
    fakeCluster.failWatch(MCM_GVK, new Error('forbidden'));
    renderAt(<ManagedClusterModuleListPage />);
  }),
  c(
    'the details tab with the actions menu open',
    () => {
      fleet();
      details('gpu-driver');
    },
    async () => {
      await userEvent.setup().click(screen.getByRole('button', { name: '⟦Actions⟧' }));
      expect(await screen.findAllByRole('menuitem')).toHaveLength(3);
    },
  ),
  c('the details tab of an invalid MCM', () => {
    fleet();
    details('broken');
  }),
  c('the fleet status tab', () => {
    fleet();
    details('gpu-driver', 'fleet-status');
  }),
  c('the fleet status tab of an invalid MCM', () => {
    fleet();
    details('broken', 'fleet-status');
  }),
  c('the YAML and Events tabs', () => {
    fleet();
    details('gpu-driver', 'yaml');
    details('gpu-driver', 'events');
  }),
  c('a missing MCM', () => {
    fleet();
    details('missing');
  }),
  c(
    'the kernel matrix with a tooltip open',
    () => {
      fleet();
      renderAt(<KernelMatrixPage />);
    },
    async () => {
      act(() =>
        (
          screen.getByRole('img', { name: new RegExp(`cluster-b.*${EL96}`) }) as HTMLElement
        ).focus(),
      );
      await screen.findByRole('tooltip');
    },
  ),
  c('the kernel matrix without MCMs', page(<KernelMatrixPage />)),
  c("the kernel matrix and the fleet status tab with ACM's cluster pages", () => {
    sdkMock.extensions = [fleetManagementPerspective];
    fleet();
    renderAt(<KernelMatrixPage />);
    details('gpu-driver', 'fleet-status');
  }),
  c(
    'the kernel matrix with filters that match nothing',
    () => {
      fleet();
      renderAt(<KernelMatrixPage />);
    },
    async () => {
      await userEvent
        .setup()
        .type(screen.getByRole('textbox', { name: '⟦Filter by cluster label⟧' }), 'nothing');
      await screen.findByRole('button', { name: '⟦Clear all filters⟧' });
    },
  ),
  c(
    'the kernel matrix with upcoming kernels and their tooltip open',
    () => {
      const upcoming = '5.14.0-611.5.1.el9_7.x86_64';
      const withPreflight: ManagedClusterModule = {
        ...gpuDriver,
        status: {
          ...gpuDriver.status,
          preflight: [
            { kernelVersion: upcoming, release: 'OpenShift 4.20.0', image: 'i', state: 'Ready' },
            { kernelVersion: '6.12.0-55.el10.x86_64', state: 'NoMapping', message: 'no mapping' },
          ],
        },
      };
      fakeCluster.set([withPreflight, devicePlugin, ...clusters, ...works]);
      renderAt(<KernelMatrixPage />);
    },
    async () => {
      act(() =>
        (
          screen.getByRole('img', {
            name: new RegExp('5\\.14\\.0-611.*upcoming.*1.*1'),
          }) as HTMLElement
        ).focus(),
      );
      await screen.findByRole('tooltip');
    },
  ),
  c('the kernel matrix with a load error', () => {
    fakeCluster.failWatch(FLEET_SUMMARY_GVK, new Error('forbidden'));
    renderAt(<KernelMatrixPage />);
  }),
];

describe('every string is translated and every interactive element is named', () => {
  it('detects an English string, an unnamed button and English PatternFly defaults', () => {
    fakeCluster.set([gpuDriver]);
    const Probe = () => {
      const { t } = usePluginTranslation();
      return (
        <div>
          <p>
            {t('Loaded')} gpu-driver Hello <code>spec.selector</code>
          </p>
          <button type="button" />
          <Spinner aria-label={t('Loading the kernel matrix')} />
        </div>
      );
    };
    renderAt(<Probe />);
    expect(englishOnPage()).toEqual([
      'text in <p>: "Hello" in "gpu-driver Hello"',
      'aria-valuetext: "Loading..." in "Loading..."',
    ]);
    expect(unnamed()).toEqual(['button: <button type="button"></button>']);
  });

  it.each(cases)('$name', async ({ render, interact }) => {
    render();
    await interact?.();
    expectTranslatedAndNamed();
  });
});
