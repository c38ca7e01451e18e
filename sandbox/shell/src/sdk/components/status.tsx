import type * as Real from '@openshift-console/dynamic-plugin-sdk';
import { Icon } from '@patternfly/react-core';
// By path: the icons package's index would make the build parse every icon.
import CheckCircleIcon from '@patternfly/react-icons/dist/esm/icons/check-circle-icon';
import ExclamationCircleIcon from '@patternfly/react-icons/dist/esm/icons/exclamation-circle-icon';
import InfoCircleIcon from '@patternfly/react-icons/dist/esm/icons/info-circle-icon';
import InProgressIcon from '@patternfly/react-icons/dist/esm/icons/in-progress-icon';
import type { ComponentType, ReactNode } from 'react';

type SDK = typeof Real;

const status = (
  name: string,
  IconType: ComponentType,
  iconStatus: 'success' | 'danger' | 'info' | undefined,
): SDK['SuccessStatus'] => {
  const Status = ({
    title,
    iconOnly,
    children,
    className,
  }: Real.StatusComponentProps): ReactNode => (
    <span className={className} data-status={name}>
      <Icon status={iconStatus} isInline>
        <IconType />
      </Icon>
      {iconOnly ? null : <> {title}</>}
      {children ? <div className="pf-v6-u-font-size-sm">{children}</div> : null}
    </span>
  );
  Status.displayName = `${name}Status`;
  return Status as SDK['SuccessStatus'];
};

export const SuccessStatus = status('Success', CheckCircleIcon, 'success');
export const ErrorStatus = status('Error', ExclamationCircleIcon, 'danger');
export const InfoStatus = status('Info', InfoCircleIcon, 'info');
export const ProgressStatus = status('Progress', InProgressIcon, undefined);
