/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

const char *oip_gui_error_hint               (const GError *error);
char       *oip_gui_error_details            (const GError *error);
gboolean    oip_gui_error_offers_preferences (const GError *error);
GtkWidget  *oip_gui_error_details_widget     (const GError *error);
void        oip_gui_show_error               (GtkWidget    *parent,
                                              const GError *error);

G_END_DECLS
