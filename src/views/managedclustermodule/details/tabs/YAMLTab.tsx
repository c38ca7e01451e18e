import { ResourceYAMLEditor } from '@openshift-console/dynamic-plugin-sdk';
import { useMcm } from '../McmContext';

export const YAMLTab = () => <ResourceYAMLEditor initialResource={useMcm()} />;
