// `console.flag/model`: a flag is true while API discovery finds its model, re-read every 60 s as the console does.
import { useExtensions, usePluginStore } from '@openshift/dynamic-plugin-sdk';
import { useEffect } from 'react';
import { discover, modelFor } from '../sdk/models';
import { isModelFlag } from './extensions';

const DISCOVERY_INTERVAL_MS = 60_000;

export const ModelFlags = () => {
  const store = usePluginStore();
  const flagExtensions = useExtensions(isModelFlag);
  useEffect(() => {
    const apply = () =>
      store.setFeatureFlags(
        Object.fromEntries(
          flagExtensions.map((e) => [e.properties.flag, !!modelFor(e.properties.model)]),
        ),
      );
    apply();
    const timer = setInterval(() => {
      void discover().then(apply, () => undefined);
    }, DISCOVERY_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [store, flagExtensions]);
  return null;
};
