import { Tooltip } from '@patternfly/react-core';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { CellStateIcon, cellStateShortText, cellStateText } from '../../components/CellStateIcon';
import { imageStateText } from '../../components/ImageStateLabel';
import type { MatrixCell } from './kernel-matrix';

/** One (cluster, kernel) cell: the state's icon and short text; the tooltip says it per MCM. */
export const MatrixCellView = memo(function MatrixCellView({
  cluster,
  kernel,
  cell,
}: {
  cluster: string;
  kernel: string;
  cell: MatrixCell;
}) {
  const { t } = useTranslation('plugin__kmm-hub-console-plugin');
  const text = cellStateText(t, cell.state);
  const content = (
    <div>
      <div>
        {cluster} · {kernel}
      </div>
      {cell.details.map((d) => (
        <div key={d.mcm}>
          {d.mcm}: {cellStateText(t, d.state)}
          {d.kernel?.resolution.kind === 'mapped' ? ` · ${d.kernel.resolution.mapping.image}` : ''}
          {d.kernel?.resolution.kind === 'error' ? ` · ${d.kernel.resolution.error}` : ''}
          {d.kernel?.imageState ? ` · ${imageStateText(t, d.kernel.imageState)}` : ''}
          {d.kernel?.imageMessage ? ` · ${d.kernel.imageMessage}` : ''}
        </div>
      ))}
    </div>
  );
  return (
    <Tooltip content={content}>
      <span
        role="img"
        tabIndex={0}
        aria-label={t('{{cluster}} on {{kernel}}: {{state}}', { cluster, kernel, state: text })}
      >
        <CellStateIcon state={cell.state} /> {cellStateShortText(t, cell.state)}
      </span>
    </Tooltip>
  );
});
