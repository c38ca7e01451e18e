import { Alert } from '@patternfly/react-core';
import { usePluginTranslation } from '../utils/i18n';

const messageOf = (error: unknown): string => {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error && 'message' in error) return String(error.message);
  return String(error);
};

/** A watch that failed: what could not be loaded and the API server's answer. */
export const LoadError = ({ what, error }: { what: string; error: unknown }) => {
  const { t } = usePluginTranslation();
  return (
    <Alert
      variant="danger"
      variantLabel={t('Error:')}
      isInline
      title={t('Could not load {{what}}', { what })}
    >
      {messageOf(error)}
    </Alert>
  );
};
