// The user interface language: English in the source, others from translations/*.ts compiled
// into the program (:/i18n/featurescope_<code>.qm).
#pragma once

#include <QString>

namespace featurescope {

/// Installs the translation for `code` ("ko", "en"; empty: the system locale's language) for
/// Featurescope and for Qt's own dialogs. Returns false when Featurescope has no translation
/// for that language (English is then shown, which is not an error for "en").
bool installTranslations(const QString& code);

} // namespace featurescope
