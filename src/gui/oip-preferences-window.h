/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "oip-application.h"

G_BEGIN_DECLS

#define OIP_TYPE_PREFERENCES_WINDOW (oip_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (OipPreferencesWindow, oip_preferences_window, OIP, PREFERENCES_WINDOW, AdwPreferencesWindow)

OipPreferencesWindow *oip_preferences_window_new        (OipApplication       *application,
                                                         GtkWindow            *parent);
gboolean              oip_preferences_window_is_busy    (OipPreferencesWindow *self);
const char           *oip_preferences_window_get_status (OipPreferencesWindow *self);

G_END_DECLS
