import { Alert, List, ListItem } from '@patternfly/react-core';
import { usePluginTranslation } from '../../../../utils/i18n';
import type { ValidationProblem } from '../../../../utils/model';

/**
 * What the controller will reject, computed in the browser by the same model the controller uses, so a person
 * sees the problem (and the field to fix) before the controller reports it.
 */
export const ValidationProblems = ({ problems }: { problems: ValidationProblem[] }) => {
  const { t } = usePluginTranslation();
  if (problems.length === 0) return null;
  return (
    <Alert
      variant="danger"
      variantLabel={t('Error:')}
      isInline
      title={t('The controller will reject this ManagedClusterModule. Problems: {{number}}', {
        number: problems.length,
      })}
    >
      <List aria-label={t('Validation problems')}>
        {problems.map((p) => (
          <ListItem key={`${p.field}: ${p.message}`}>
            {/* the model's message is English, as the controller reports it */}
            <code>{p.field}</code>: <span lang="en">{p.message}</span>
          </ListItem>
        ))}
      </List>
    </Alert>
  );
};
