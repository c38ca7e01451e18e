import type { Action } from '@openshift-console/dynamic-plugin-sdk';
import {
  Dropdown,
  DropdownItem,
  DropdownList,
  MenuToggle,
  type MenuToggleElement,
} from '@patternfly/react-core';
import { EllipsisVIcon } from '@patternfly/react-icons';
import { type Ref, useState } from 'react';
import { useNavigate } from 'react-router';

/**
 * The SDK does not export the console's action menu, so the plugin renders its actions itself: a kebab in
 * list rows, an "Actions" button in the details header.
 */
export const ActionsMenu = ({
  actions,
  label,
  variant,
}: {
  actions: Action[];
  /** accessible name of the toggle; also its text for the `button` variant */
  label: string;
  variant: 'kebab' | 'button';
}) => {
  const [open, setOpen] = useState(false);
  const navigate = useNavigate();
  const run = (action: Action) => {
    setOpen(false);
    if (typeof action.cta === 'function') action.cta();
    else navigate(action.cta.href);
  };
  return (
    <Dropdown
      isOpen={open}
      onOpenChange={setOpen}
      popperProps={{ position: 'right' }}
      toggle={(ref: Ref<MenuToggleElement>) => (
        <MenuToggle
          ref={ref}
          aria-label={label}
          variant={variant === 'kebab' ? 'plain' : 'default'}
          isExpanded={open}
          onClick={() => setOpen(!open)}
          icon={variant === 'kebab' ? <EllipsisVIcon /> : undefined}
        >
          {variant === 'button' ? label : undefined}
        </MenuToggle>
      )}
    >
      <DropdownList>
        {actions.map((action) => (
          <DropdownItem
            key={action.id}
            description={action.description}
            isAriaDisabled={action.disabled}
            tooltipProps={action.disabled ? { content: action.disabledTooltip } : undefined}
            onClick={() => run(action)}
          >
            {action.label}
          </DropdownItem>
        ))}
      </DropdownList>
    </Dropdown>
  );
};
