import { Tooltip } from '@patternfly/react-core';
import { memo, useRef, useState } from 'react';
import { usePluginTranslation } from '../../utils/i18n';
import { CellStateIcon, cellStateShortText, cellStateText } from '../../components/CellStateIcon';
import { imageStateText } from '../../components/ImageStateLabel';
import { ResolutionProblem } from '../../components/ResolutionProblem';
import type { MatrixCell } from './kernel-matrix';

type CellProps = { cluster: string; kernel: string; cell: MatrixCell };

/** The tooltip's text: the cell, then each MCM's state with its image, image state and message. */
const CellDetails = ({ cluster, kernel, cell }: CellProps) => {
  const { t } = usePluginTranslation();
  return (
    <div>
      <div>
        {cluster} · {kernel}
      </div>
      {cell.details.map(({ mcm, state, kernel: k }) => (
        <div key={mcm}>
          {mcm}: {cellStateText(t, state)}
          {k?.resolution.kind === 'mapped' ? ` · ${k.resolution.mapping.image}` : ''}
          {k?.resolution.kind === 'error' || k?.resolution.kind === 'invalid' ? (
            <>
              {' · '}
              <ResolutionProblem outcome={k.resolution} />
            </>
          ) : null}
          {k?.imageState ? ` · ${imageStateText(t, k.imageState)}` : ''}
          {k?.imageMessage ? ` · ${k.imageMessage}` : ''}
        </div>
      ))}
    </div>
  );
};

/**
 * One (cluster, kernel) cell: the state's icon and short text; the tooltip says it per MCM. A page shows up
 * to 100 rows x 30 kernels, so the tooltip (and its content) is only mounted while the cell is hovered or
 * focused: rendering a PatternFly Tooltip per cell made every page change and filter noticeably slower.
 */
export const MatrixCellView = memo(function MatrixCellView({ cluster, kernel, cell }: CellProps) {
  const { t } = usePluginTranslation();
  const ref = useRef<HTMLSpanElement>(null);
  const [shown, setShown] = useState(false);
  const show = () => setShown(true);
  const hide = () => setShown(false);
  return (
    <span
      ref={ref}
      role="img"
      tabIndex={0}
      aria-label={t('{{cluster}} on {{kernel}}: {{state}}', {
        cluster,
        kernel,
        state: cellStateText(t, cell.state),
      })}
      onMouseEnter={show}
      onMouseLeave={hide}
      onFocus={show}
      onBlur={hide}
      onKeyDown={(e) => {
        if (e.key === 'Escape') hide();
      }}
    >
      <CellStateIcon state={cell.state} /> {cellStateShortText(t, cell.state)}
      {shown ? (
        <Tooltip
          triggerRef={ref}
          trigger="manual"
          isVisible
          content={<CellDetails cluster={cluster} kernel={kernel} cell={cell} />}
        />
      ) : null}
    </span>
  );
});
