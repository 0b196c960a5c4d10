/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "oip-application.h"

G_BEGIN_DECLS

#define OIP_TYPE_PREFERENCES_PAGE (oip_preferences_page_get_type ())
G_DECLARE_FINAL_TYPE (OipPreferencesPage, oip_preferences_page, OIP, PREFERENCES_PAGE, AdwPreferencesPage)

OipPreferencesPage *oip_preferences_page_new        (OipApplication     *application);
OipPreferencesPage *oip_preferences_page_present    (OipApplication     *application,
                                                     GtkWidget          *parent);
gboolean            oip_preferences_page_is_busy    (OipPreferencesPage *self);
const char         *oip_preferences_page_get_status (OipPreferencesPage *self);
gboolean            oip_preferences_page_has_unsaved_credentials (OipPreferencesPage *self);

G_END_DECLS
