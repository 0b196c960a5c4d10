/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "oip-dialogs.h"

/*
 * One code path per kind of dialog, whichever libraries the app was built
 * with. With libadwaita 1.5 dialogs are AdwDialogs attached to their
 * window (floating sheets, bottom sheets on narrow windows); before, they
 * are modal windows of their own. Callers hand over a content widget and
 * never see which it is.
 */

#if ADW_CHECK_VERSION (1, 5, 0)
# define OIP_ADW_DIALOGS 1
#else
# define OIP_ADW_DIALOGS 0
#endif

#define DIALOG_MARK "oip-dialog"
#define CLOSE_FUNC_KEY "oip-dialog-close-func"
#define CONTAINER_KEY "oip-dialog-container"

/* Alerts {{{1 */

/**
 * oip_alert_new:
 * @heading: the question or the outcome, short
 * @body: (nullable): what it means and what the seller can do
 *
 * Returns: (transfer floating): an alert; add responses, then present it
 */
GtkWidget *
oip_alert_new (const char *heading,
               const char *body)
{
#if OIP_ADW_DIALOGS
  return GTK_WIDGET (adw_alert_dialog_new (heading, body));
#else
  return adw_message_dialog_new (NULL, heading, body);
#endif
}

void
oip_alert_add_response (GtkWidget             *alert,
                        const char            *id,
                        const char            *label,
                        AdwResponseAppearance  appearance)
{
  g_return_if_fail (oip_is_alert (alert));
#if OIP_ADW_DIALOGS
  adw_alert_dialog_add_response (ADW_ALERT_DIALOG (alert), id, label);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (alert), id, appearance);
#else
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (alert), id, label);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (alert), id, appearance);
#endif
}

void
oip_alert_set_default_response (GtkWidget  *alert,
                                const char *id)
{
  g_return_if_fail (oip_is_alert (alert));
#if OIP_ADW_DIALOGS
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (alert), id);
#else
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (alert), id);
#endif
}

/**
 * oip_alert_set_close_response:
 *
 * The response Esc (and closing the window) gives.
 */
void
oip_alert_set_close_response (GtkWidget  *alert,
                              const char *id)
{
  g_return_if_fail (oip_is_alert (alert));
#if OIP_ADW_DIALOGS
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (alert), id);
#else
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (alert), id);
#endif
}

void
oip_alert_set_extra_child (GtkWidget *alert,
                           GtkWidget *child)
{
  g_return_if_fail (oip_is_alert (alert));
#if OIP_ADW_DIALOGS
  adw_alert_dialog_set_extra_child (ADW_ALERT_DIALOG (alert), child);
#else
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (alert), child);
#endif
}

/**
 * oip_alert_present:
 * @parent: (nullable): a widget of the window the alert is about
 * @func: (nullable): called once with the response
 * @owner: (nullable) (type GObject): passed to @func; @func is not called
 *   after @owner is finalized
 */
void
oip_alert_present (GtkWidget    *alert,
                   GtkWidget    *parent,
                   OipAlertFunc  func,
                   gpointer      owner)
{
  g_return_if_fail (oip_is_alert (alert));
  g_return_if_fail (parent == NULL || GTK_IS_WIDGET (parent));
  g_return_if_fail (owner == NULL || G_IS_OBJECT (owner));

  if (func != NULL && owner != NULL)
    g_signal_connect_object (alert, "response", G_CALLBACK (func), owner, 0);
  else if (func != NULL)
    g_signal_connect (alert, "response", G_CALLBACK (func), NULL);

#if OIP_ADW_DIALOGS
  adw_dialog_present (ADW_DIALOG (alert), parent);
#else
  if (parent != NULL && GTK_IS_WINDOW (gtk_widget_get_root (parent)))
    gtk_window_set_transient_for (GTK_WINDOW (alert), GTK_WINDOW (gtk_widget_get_root (parent)));
  gtk_window_set_modal (GTK_WINDOW (alert), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (alert), TRUE);
  gtk_window_present (GTK_WINDOW (alert));
#endif
}

const char *
oip_alert_get_heading (GtkWidget *alert)
{
  g_return_val_if_fail (oip_is_alert (alert), NULL);
#if OIP_ADW_DIALOGS
  return adw_alert_dialog_get_heading (ADW_ALERT_DIALOG (alert));
#else
  return adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (alert));
#endif
}

const char *
oip_alert_get_body (GtkWidget *alert)
{
  g_return_val_if_fail (oip_is_alert (alert), NULL);
#if OIP_ADW_DIALOGS
  return adw_alert_dialog_get_body (ADW_ALERT_DIALOG (alert));
#else
  return adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (alert));
#endif
}

gboolean
oip_alert_has_response (GtkWidget  *alert,
                        const char *id)
{
  g_return_val_if_fail (oip_is_alert (alert), FALSE);
#if OIP_ADW_DIALOGS
  return adw_alert_dialog_has_response (ADW_ALERT_DIALOG (alert), id);
#else
  return adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (alert), id);
#endif
}

/**
 * oip_alert_respond:
 *
 * Answers the alert as a click on the response's button would, and
 * closes it.
 */
void
oip_alert_respond (GtkWidget  *alert,
                   const char *id)
{
  g_autoptr(GtkWidget) keep = NULL;

  g_return_if_fail (oip_is_alert (alert));
  g_return_if_fail (oip_alert_has_response (alert, id));

  keep = g_object_ref (alert);
#if OIP_ADW_DIALOGS
  g_signal_emit_by_name (alert, "response", id);
  adw_dialog_force_close (ADW_DIALOG (alert));
#else
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (alert), id);
  gtk_window_destroy (GTK_WINDOW (alert));
#endif
}

gboolean
oip_is_alert (gpointer widget)
{
#if OIP_ADW_DIALOGS
  return ADW_IS_ALERT_DIALOG (widget);
#else
  return ADW_IS_MESSAGE_DIALOG (widget);
#endif
}

/* Dialogs {{{1 */

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

/* An AdwDialog parents its child only once it is presented: the content
 * keeps a weak reference to its dialog instead. */
static void
mark_dialog (GtkWidget *dialog,
             GtkWidget *content)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_object_set_data (G_OBJECT (dialog), DIALOG_MARK, GINT_TO_POINTER (1));
  g_weak_ref_init (ref, dialog);
  g_object_set_data_full (G_OBJECT (content), CONTAINER_KEY, ref, (GDestroyNotify) weak_ref_free);
}

/**
 * oip_dialog_new:
 * @content: (transfer floating): what the dialog shows; it has no header
 *   bar of its own and takes whatever width it is given, down to 360
 * @width: the width it opens with, where there is room
 * @height: the height it opens with, where there is room
 *
 * Returns: (transfer floating): a dialog holding @content, to present
 *   with oip_dialog_present()
 */
GtkWidget *
oip_dialog_new (GtkWidget  *content,
                const char *title,
                int         width,
                int         height)
{
  GtkWidget *overlay = adw_toast_overlay_new ();
  GtkWidget *dialog;

  g_return_val_if_fail (GTK_IS_WIDGET (content), NULL);

  /* Every dialog can show a toast over its content. */
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), content);

#if OIP_ADW_DIALOGS
  dialog = GTK_WIDGET (adw_dialog_new ());
  adw_dialog_set_child (ADW_DIALOG (dialog), overlay);
  adw_dialog_set_title (ADW_DIALOG (dialog), title);
  adw_dialog_set_content_width (ADW_DIALOG (dialog), width);
  adw_dialog_set_content_height (ADW_DIALOG (dialog), height);
#else
  {
    GtkEventController *shortcuts = gtk_shortcut_controller_new ();

    dialog = adw_window_new ();
    adw_window_set_content (ADW_WINDOW (dialog), overlay);
    gtk_window_set_title (GTK_WINDOW (dialog), title);
    gtk_window_set_default_size (GTK_WINDOW (dialog), width, height);
    gtk_widget_set_size_request (dialog, 360, 294);
    gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
    gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
    /* Esc closes it, as it does an AdwDialog. */
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                            gtk_named_action_new ("window.close")));
    gtk_widget_add_controller (dialog, shortcuts);
  }
#endif
  mark_dialog (dialog, content);
  return dialog;
}

/**
 * oip_preferences_dialog_new:
 * @page: (transfer floating): the preferences
 *
 * Returns: (transfer floating): an AdwPreferencesDialog or
 *   AdwPreferencesWindow holding @page
 */
GtkWidget *
oip_preferences_dialog_new (AdwPreferencesPage *page,
                            const char         *title,
                            int                 width,
                            int                 height)
{
  GtkWidget *dialog;

  g_return_val_if_fail (ADW_IS_PREFERENCES_PAGE (page), NULL);

#if OIP_ADW_DIALOGS
  dialog = GTK_WIDGET (adw_preferences_dialog_new ());
  adw_preferences_dialog_add (ADW_PREFERENCES_DIALOG (dialog), page);
  adw_preferences_dialog_set_search_enabled (ADW_PREFERENCES_DIALOG (dialog), FALSE);
  adw_dialog_set_title (ADW_DIALOG (dialog), title);
  adw_dialog_set_content_width (ADW_DIALOG (dialog), width);
  adw_dialog_set_content_height (ADW_DIALOG (dialog), height);
#else
  dialog = adw_preferences_window_new ();
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (dialog), page);
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (dialog), FALSE);
  gtk_window_set_title (GTK_WINDOW (dialog), title);
  gtk_window_set_default_size (GTK_WINDOW (dialog), width, height);
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
#endif
  mark_dialog (dialog, GTK_WIDGET (page));
  return dialog;
}

#if OIP_ADW_DIALOGS
static void
on_close_attempt (AdwDialog *dialog)
{
  OipDialogCloseFunc func = g_object_get_data (G_OBJECT (dialog), CLOSE_FUNC_KEY);

  if (func (oip_dialog_get_content (GTK_WIDGET (dialog))))
    adw_dialog_force_close (dialog);
}
#else
static gboolean
on_close_request (GtkWindow *window)
{
  OipDialogCloseFunc func = g_object_get_data (G_OBJECT (window), CLOSE_FUNC_KEY);

  return !func (oip_dialog_get_content (GTK_WIDGET (window)));
}
#endif

/**
 * oip_dialog_set_close_func:
 * @func: asked whenever the seller closes the dialog
 */
void
oip_dialog_set_close_func (GtkWidget          *dialog,
                           OipDialogCloseFunc  func)
{
  g_return_if_fail (oip_is_dialog (dialog));
  g_return_if_fail (func != NULL);
  g_return_if_fail (g_object_get_data (G_OBJECT (dialog), CLOSE_FUNC_KEY) == NULL);

  g_object_set_data (G_OBJECT (dialog), CLOSE_FUNC_KEY, func);
#if OIP_ADW_DIALOGS
  adw_dialog_set_can_close (ADW_DIALOG (dialog), FALSE);
  g_signal_connect (dialog, "close-attempt", G_CALLBACK (on_close_attempt), NULL);
#else
  g_signal_connect (dialog, "close-request", G_CALLBACK (on_close_request), NULL);
#endif
}

/**
 * oip_dialog_present:
 * @parent: a widget of the window the dialog belongs to
 */
void
oip_dialog_present (GtkWidget *dialog,
                    GtkWidget *parent)
{
  g_return_if_fail (oip_is_dialog (dialog));
  g_return_if_fail (parent == NULL || GTK_IS_WIDGET (parent));

#if OIP_ADW_DIALOGS
  adw_dialog_present (ADW_DIALOG (dialog), parent);
#else
  if (parent != NULL && GTK_IS_WINDOW (gtk_widget_get_root (parent)))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (gtk_widget_get_root (parent)));
  gtk_window_present (GTK_WINDOW (dialog));
#endif
}

/**
 * oip_dialog_get_for:
 * @content: a widget inside a dialog, or the dialog
 *
 * Returns: (transfer none) (nullable): the dialog holding @content
 */
GtkWidget *
oip_dialog_get_for (GtkWidget *content)
{
  g_return_val_if_fail (GTK_IS_WIDGET (content), NULL);

  for (GtkWidget *widget = content; widget != NULL; widget = gtk_widget_get_parent (widget))
    {
      GWeakRef *ref = g_object_get_data (G_OBJECT (widget), CONTAINER_KEY);
      g_autoptr(GtkWidget) dialog = NULL;

      if (oip_is_dialog (widget))
        return widget;
      if (ref != NULL && (dialog = g_weak_ref_get (ref)) != NULL)
        return dialog;   /* the dialog holds its content: it outlives this call */
    }
  return NULL;
}

/**
 * oip_dialog_get_content:
 *
 * Returns: (transfer none) (nullable): what the dialog shows: its content
 *   widget, or its preferences page
 */
GtkWidget *
oip_dialog_get_content (GtkWidget *dialog)
{
  GtkWidget *child;

  g_return_val_if_fail (oip_is_dialog (dialog), NULL);

#if OIP_ADW_DIALOGS
  if (ADW_IS_PREFERENCES_DIALOG (dialog))
    return GTK_WIDGET (adw_preferences_dialog_get_visible_page (ADW_PREFERENCES_DIALOG (dialog)));
  child = adw_dialog_get_child (ADW_DIALOG (dialog));
#else
  if (ADW_IS_PREFERENCES_WINDOW (dialog))
    return GTK_WIDGET (adw_preferences_window_get_visible_page (ADW_PREFERENCES_WINDOW (dialog)));
  child = adw_window_get_content (ADW_WINDOW (dialog));
#endif
  return ADW_IS_TOAST_OVERLAY (child) ? adw_toast_overlay_get_child (ADW_TOAST_OVERLAY (child)) : child;
}

/**
 * oip_dialog_close:
 * @widget: a dialog or a widget in it
 *
 * Closes the dialog as the seller would: its close function is asked.
 */
void
oip_dialog_close (GtkWidget *widget)
{
  GtkWidget *dialog = oip_dialog_get_for (widget);

  g_return_if_fail (dialog != NULL);
#if OIP_ADW_DIALOGS
  adw_dialog_close (ADW_DIALOG (dialog));
#else
  gtk_window_close (GTK_WINDOW (dialog));
#endif
}

/**
 * oip_dialog_force_close:
 * @widget: a dialog or a widget in it
 *
 * Closes the dialog without asking.
 */
static gboolean
force_close_now (gpointer data)
{
#if OIP_ADW_DIALOGS
  adw_dialog_force_close (ADW_DIALOG (data));
#else
  gtk_window_destroy (GTK_WINDOW (data));
#endif
  return G_SOURCE_REMOVE;
}

void
oip_dialog_force_close (GtkWidget *widget)
{
  GtkWidget *dialog = oip_dialog_get_for (widget);

  g_return_if_fail (dialog != NULL);
  /* From the main loop, not from inside an alert's response: the alert
   * still refers to the dialog until it has closed itself. */
  g_idle_add_full (G_PRIORITY_HIGH_IDLE, force_close_now, g_object_ref (dialog), g_object_unref);
}

/**
 * oip_dialog_set_size:
 *
 * The size the dialog asks for; an attached dialog still fits its window.
 */
void
oip_dialog_set_size (GtkWidget *widget,
                     int        width,
                     int        height)
{
  GtkWidget *dialog = oip_dialog_get_for (widget);

  g_return_if_fail (dialog != NULL);
#if OIP_ADW_DIALOGS
  adw_dialog_set_content_width (ADW_DIALOG (dialog), width);
  adw_dialog_set_content_height (ADW_DIALOG (dialog), height);
#else
  gtk_window_set_default_size (GTK_WINDOW (dialog), width, height);
#endif
}

/**
 * oip_dialog_add_toast:
 * @widget: a dialog or a widget in it
 * @toast: (transfer full): the toast
 */
void
oip_dialog_add_toast (GtkWidget *widget,
                      AdwToast  *toast)
{
  GtkWidget *dialog = oip_dialog_get_for (widget);
  GtkWidget *child;

  g_return_if_fail (dialog != NULL);
#if OIP_ADW_DIALOGS
  if (ADW_IS_PREFERENCES_DIALOG (dialog))
    {
      adw_preferences_dialog_add_toast (ADW_PREFERENCES_DIALOG (dialog), toast);
      return;
    }
  child = adw_dialog_get_child (ADW_DIALOG (dialog));
#else
  if (ADW_IS_PREFERENCES_WINDOW (dialog))
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (dialog), toast);
      return;
    }
  child = adw_window_get_content (ADW_WINDOW (dialog));
#endif
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (child), toast);
}

gboolean
oip_is_dialog (gpointer widget)
{
  return GTK_IS_WIDGET (widget) && g_object_get_data (G_OBJECT (widget), DIALOG_MARK) != NULL;
}

/* About and shortcuts {{{1 */

/**
 * oip_show_about:
 * @parent: a widget of the window it is about
 */
void
oip_show_about (GtkWidget *parent)
{
  const char *developers[] = { "Ozon Image Push developers", NULL };
  GObject *about;

#if OIP_ADW_DIALOGS
  about = G_OBJECT (adw_about_dialog_new ());
#else
  about = G_OBJECT (adw_about_window_new ());
#endif
  g_object_set (about,
                "application-name", _("Ozon Image Push"),
                "application-icon", APP_ID,
                "developer-name", "Ozon Image Push developers",
                "version", PACKAGE_VERSION,
                "website", "https://github.com/ozonpush/ozon-image-push",
                "issue-url", "https://github.com/ozonpush/ozon-image-push/issues",
                "license-type", GTK_LICENSE_GPL_3_0,
                "developers", developers,
                /* Translators: your name(s), one per line */
                "translator-credits", _("translator-credits"),
                NULL);
#if OIP_ADW_DIALOGS
  adw_dialog_present (ADW_DIALOG (about), parent);
#else
  if (parent != NULL && GTK_IS_WINDOW (gtk_widget_get_root (parent)))
    gtk_window_set_transient_for (GTK_WINDOW (about), GTK_WINDOW (gtk_widget_get_root (parent)));
  gtk_window_set_modal (GTK_WINDOW (about), TRUE);
  gtk_window_present (GTK_WINDOW (about));
#endif
}

/**
 * oip_show_shortcuts:
 * @parent: a widget of the window whose keys these are
 * @shortcuts: (array length=n_shortcuts): the groups and their keys
 */
void
oip_show_shortcuts (GtkWidget         *parent,
                    const OipShortcut *shortcuts,
                    gsize              n_shortcuts)
{
#if ADW_CHECK_VERSION (1, 8, 0)
  AdwDialog *dialog = adw_shortcuts_dialog_new ();
  AdwShortcutsSection *section = NULL;

  for (gsize i = 0; i < n_shortcuts; i++)
    {
      if (shortcuts[i].accelerator == NULL)
        {
          section = adw_shortcuts_section_new (_(shortcuts[i].title));
          adw_shortcuts_dialog_add (ADW_SHORTCUTS_DIALOG (dialog), section);
          continue;
        }
      g_assert (section != NULL);
      adw_shortcuts_section_add (section, adw_shortcuts_item_new (_(shortcuts[i].title), shortcuts[i].accelerator));
    }
  adw_dialog_present (dialog, parent);
#else
  /* GtkShortcutsWindow is only made by GtkBuilder before GTK 4.14. */
  g_autoptr(GString) xml = g_string_new ("<interface><object class=\"GtkShortcutsWindow\" id=\"window\">"
                                         "<property name=\"modal\">True</property>"
                                         "<child><object class=\"GtkShortcutsSection\">"
                                         "<property name=\"section-name\">shortcuts</property>"
                                         "<property name=\"max-height\">10</property>");
  g_autoptr(GtkBuilder) builder = NULL;
  gboolean in_group = FALSE;
  GtkWindow *window;

  for (gsize i = 0; i < n_shortcuts; i++)
    {
      g_autofree char *item = NULL;

      if (shortcuts[i].accelerator == NULL)
        {
          if (in_group)
            g_string_append (xml, "</object></child>");
          item = g_markup_printf_escaped ("<child><object class=\"GtkShortcutsGroup\">"
                                          "<property name=\"title\">%s</property>",
                                          _(shortcuts[i].title));
          in_group = TRUE;
        }
      else
        item = g_markup_printf_escaped ("<child><object class=\"GtkShortcutsShortcut\">"
                                        "<property name=\"title\">%s</property>"
                                        "<property name=\"accelerator\">%s</property></object></child>",
                                        _(shortcuts[i].title), shortcuts[i].accelerator);
      g_string_append (xml, item);
    }
  g_string_append_printf (xml, "%s</object></child></object></interface>", in_group ? "</object></child>" : "");

  builder = gtk_builder_new_from_string (xml->str, -1);
  window = GTK_WINDOW (gtk_builder_get_object (builder, "window"));
  if (parent != NULL && GTK_IS_WINDOW (gtk_widget_get_root (parent)))
    gtk_window_set_transient_for (window, GTK_WINDOW (gtk_widget_get_root (parent)));
  gtk_window_present (window);
#endif
}

/* Choosing files {{{1 */

/**
 * oip_image_file_filter_new:
 *
 * Returns: (transfer full): the pictures the app takes from this computer:
 *   JPEG and PNG as they are, WebP and HEIC converted to JPEG on upload
 */
GtkFileFilter *
oip_image_file_filter_new (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();
  const char *types[] = { "image/jpeg", "image/png", "image/webp", "image/heic", "image/heif" };
  const char *suffixes[] = { "jpg", "jpeg", "png", "webp", "heic", "heif" };

  gtk_file_filter_set_name (filter, _("Pictures (JPEG, PNG, WebP, HEIC)"));
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    gtk_file_filter_add_mime_type (filter, types[i]);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    gtk_file_filter_add_suffix (filter, suffixes[i]);
  return filter;
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
on_files_opened (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GListModel *files = gtk_file_dialog_open_multiple_finish (GTK_FILE_DIALOG (source), result, &error);

  if (files == NULL)
    {
      if (g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED) ||
          g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_CANCELLED))
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", error->message);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, files, g_object_unref);
}
#else
static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     gpointer         user_data)
{
  g_autoptr(GTask) task = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    g_task_return_pointer (task, gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser)), g_object_unref);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Dismissed");
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
on_chooser_cancelled (GCancellable    *cancellable,
                      GtkNativeDialog *chooser)
{
  gtk_native_dialog_hide (chooser);
  g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_CANCEL);
}
#endif

/**
 * oip_open_files_async:
 * @parent: a widget of the window asking
 * @filter: (transfer none): the files offered
 *
 * Lets the seller pick one file or more.
 */
void
oip_open_files_async (GtkWidget           *parent,
                      const char          *title,
                      GtkFileFilter       *filter,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (parent, cancellable, callback, user_data);
  GtkWindow *window = parent != NULL && GTK_IS_WINDOW (gtk_widget_get_root (parent))
                      ? GTK_WINDOW (gtk_widget_get_root (parent)) : NULL;

  g_task_set_source_tag (task, oip_open_files_async);

#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
    g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);

    g_list_store_append (filters, filter);
    gtk_file_dialog_set_title (dialog, title);
    gtk_file_dialog_set_accept_label (dialog, _("_Add"));
    gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
    gtk_file_dialog_set_default_filter (dialog, filter);
    gtk_file_dialog_open_multiple (dialog, window, cancellable, on_files_opened, g_steal_pointer (&task));
  }
#else
  {
    GtkFileChooserNative *chooser = gtk_file_chooser_native_new (title, window, GTK_FILE_CHOOSER_ACTION_OPEN,
                                                                 _("_Add"), _("_Cancel"));

    gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    if (cancellable != NULL)
      g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (on_chooser_cancelled), chooser, 0);
    g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), g_steal_pointer (&task));
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
  }
#endif
}

/**
 * oip_open_files_finish:
 *
 * Returns: (transfer full): the #GFile list chosen; %G_IO_ERROR_CANCELLED
 *   when the seller chose none
 */
GListModel *
oip_open_files_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oip_open_files_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
