import { Flex, FlexItem } from '@patternfly/react-core';
import { usePluginTranslation } from '../../utils/i18n';
import { CellStateIcon, cellStateText } from '../../components/CellStateIcon';
import { CELL_STATE_URGENCY } from '../../utils/fleet-status';

export const MatrixLegend = () => {
  const { t } = usePluginTranslation();
  return (
    <section aria-label={t('Legend')}>
      <Flex spaceItems={{ default: 'spaceItemsLg' }}>
        {[...CELL_STATE_URGENCY].reverse().map((state) => (
          <FlexItem key={state}>
            <CellStateIcon state={state} /> {cellStateText(t, state)}
          </FlexItem>
        ))}
      </Flex>
    </section>
  );
};
