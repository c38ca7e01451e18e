import { ResourceEventStream } from '@openshift-console/dynamic-plugin-sdk';
import { PageSection } from '@patternfly/react-core';
import { useMcm } from '../McmContext';

export const EventsTab = () => (
  <PageSection>
    <ResourceEventStream resource={useMcm()} />
  </PageSection>
);
