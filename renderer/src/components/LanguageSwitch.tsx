import type { Key } from 'react-aria-components';
import { ToggleButton, ToggleButtonGroup } from 'react-aria-components';
import type { UiLanguage } from '../../../core/api/contract.js';
import { useLanguage } from '../i18n/i18n.js';
import { useStatus } from '../shell/status.js';

const languages: readonly UiLanguage[] = ['de', 'en'];

/** Deutsch | English, as a radio group (one is always chosen). Each name is shown in its own language. */
export function LanguageSwitch({ isDisabled = false }: { isDisabled?: boolean }) {
  const { language, t, setLanguage } = useLanguage();
  const { reportError } = useStatus();
  const choose = (keys: Set<Key>): void => {
    const next = [...keys][0];
    if (next === 'de' || next === 'en') setLanguage(next).catch(reportError);
  };
  return (
    <ToggleButtonGroup
      aria-label={t.language.label}
      selectionMode="single"
      disallowEmptySelection
      selectedKeys={[language]}
      onSelectionChange={choose}
      isDisabled={isDisabled}
      className="segmented"
    >
      {languages.map((l) => (
        <ToggleButton key={l} id={l} lang={l} className="segmented__item">
          {t.language[l]}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}
