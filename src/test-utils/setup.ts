// Jest setup of the plugin project: jest-dom matchers, the plugin's real English catalog loaded the way
// console loads it (namespace plugin__kmm-hub-console-plugin, `~` namespace separator, no key separator),
// and a clean fake cluster and SDK mock for every test.
import '@testing-library/jest-dom';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from '../../locales/en/plugin__kmm-hub-console-plugin.json';
import { sdkMock } from '../__mocks__/dynamic-plugin-sdk';
import { I18N_NAMESPACE } from '../utils/i18n';
import { fakeCluster } from './fake-cluster';

void i18next.use(initReactI18next).init({
  lng: 'en',
  fallbackLng: 'en',
  resources: { en: { [I18N_NAMESPACE]: en } },
  nsSeparator: '~',
  keySeparator: false,
  interpolation: { escapeValue: false },
  react: { useSuspense: false },
});

beforeEach(() => {
  // suites that need no DOM run in node (`@jest-environment node`)
  if (typeof document !== 'undefined') document.title = '';
  fakeCluster.reset();
  sdkMock.reset();
});
