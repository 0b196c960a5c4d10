/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The one place that knows which dialogs the libraries have: AdwDialog,
 * AdwAlertDialog, AdwPreferencesDialog, AdwAboutDialog (libadwaita 1.5),
 * AdwShortcutsDialog (1.8) and GtkFileDialog (GTK 4.10) where they exist;
 * AdwWindow, AdwMessageDialog, AdwPreferencesWindow, AdwAboutWindow,
 * GtkShortcutsWindow and GtkFileChooserNative before. Content widgets are
 * the same on both; only their container differs. */

/**
 * OipAlertFunc:
 * @alert: the alert
 * @response: the id of the response chosen (the close response for Esc)
 * @user_data: the owner given to oip_alert_present()
 */
typedef void (*OipAlertFunc) (GtkWidget  *alert,
                              const char *response,
                              gpointer    user_data);

GtkWidget  *oip_alert_new                  (const char            *heading,
                                            const char            *body);
void        oip_alert_add_response         (GtkWidget             *alert,
                                            const char            *id,
                                            const char            *label,
                                            AdwResponseAppearance  appearance);
void        oip_alert_set_default_response (GtkWidget             *alert,
                                            const char            *id);
void        oip_alert_set_close_response   (GtkWidget             *alert,
                                            const char            *id);
void        oip_alert_set_extra_child      (GtkWidget             *alert,
                                            GtkWidget             *child);
void        oip_alert_present              (GtkWidget             *alert,
                                            GtkWidget             *parent,
                                            OipAlertFunc           func,
                                            gpointer               owner);
const char *oip_alert_get_heading          (GtkWidget             *alert);
const char *oip_alert_get_body             (GtkWidget             *alert);
gboolean    oip_alert_has_response         (GtkWidget             *alert,
                                            const char            *id);
void        oip_alert_respond              (GtkWidget             *alert,
                                            const char            *id);
gboolean    oip_is_alert                   (gpointer               widget);

/**
 * OipDialogCloseFunc:
 * @content: the dialog's content
 *
 * Asked when the seller closes the dialog (Esc, ×, Close).
 *
 * Returns: %TRUE to close now; %FALSE to stay (and ask, say)
 */
typedef gboolean (*OipDialogCloseFunc) (GtkWidget *content);

GtkWidget  *oip_dialog_new                 (GtkWidget             *content,
                                            const char            *title,
                                            int                    width,
                                            int                    height);
GtkWidget  *oip_preferences_dialog_new     (AdwPreferencesPage    *page,
                                            const char            *title,
                                            int                    width,
                                            int                    height);
void        oip_dialog_set_close_func      (GtkWidget             *dialog,
                                            OipDialogCloseFunc     func);
void        oip_dialog_present             (GtkWidget             *dialog,
                                            GtkWidget             *parent);
GtkWidget  *oip_dialog_get_for             (GtkWidget             *content);
GtkWidget  *oip_dialog_get_content         (GtkWidget             *dialog);
void        oip_dialog_close               (GtkWidget             *widget);
void        oip_dialog_force_close         (GtkWidget             *widget);
void        oip_dialog_set_size            (GtkWidget             *widget,
                                            int                    width,
                                            int                    height);
void        oip_dialog_add_toast           (GtkWidget             *widget,
                                            AdwToast              *toast);
gboolean    oip_is_dialog                  (gpointer               widget);

/**
 * OipShortcut:
 * @title: what the keys do, untranslated (marked with N_()); or, when
 *   @accelerator is %NULL, the title of the group that follows
 * @accelerator: in gtk_accelerator_parse() form, alternatives separated
 *   by spaces
 */
typedef struct
{
  const char *title;
  const char *accelerator;
} OipShortcut;

void        oip_show_about                 (GtkWidget             *parent);
void        oip_show_shortcuts             (GtkWidget             *parent,
                                            const OipShortcut     *shortcuts,
                                            gsize                  n_shortcuts);

GtkFileFilter *oip_image_file_filter_new   (void);
void        oip_open_files_async           (GtkWidget             *parent,
                                            const char            *title,
                                            GtkFileFilter         *filter,
                                            GCancellable          *cancellable,
                                            GAsyncReadyCallback    callback,
                                            gpointer               user_data);
GListModel *oip_open_files_finish          (GAsyncResult          *result,
                                            GError               **error);

G_END_DECLS
