/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "oip-dialogs.h"
#include "oip-error.h"
#include "oip-gui-error.h"

/*
 * Errors as the window says them. The hints in src/core/oip-error.c are
 * shared with the command line; where they name a command or a request
 * file, the window has its own words. Ozon's original message and the
 * HTTP status are details, behind an expander or in a tooltip, never the
 * sentence itself.
 */

static int
error_code (const GError *error)
{
  return error != NULL && error->domain == OIP_ERROR ? error->code : OIP_ERROR_FAILED;
}

/**
 * oip_gui_error_hint:
 *
 * Returns: what the seller can do about @error, in the window's terms
 */
const char *
oip_gui_error_hint (const GError *error)
{
  int code = error_code (error);

  switch (code)
    {
    case OIP_ERROR_CREDENTIALS_MISSING:
      return _("Add your Ozon Client ID and API Key in Preferences.");
    case OIP_ERROR_KEYRING_UNAVAILABLE:
      return _("Unlock the system keyring (your login password usually does it), then try again.");
    case OIP_ERROR_STORAGE_NOT_CONFIGURED:
      return _("Set up your storage (endpoint, bucket, public address, access key) in Preferences.");
    case OIP_ERROR_INVALID_REQUEST:
      return _("Check what you typed and try again.");
    default:
      return oip_error_hint (code);
    }
}

/**
 * oip_gui_error_details:
 *
 * Returns: (transfer full) (nullable): Ozon's own words and the HTTP
 *   status behind @error, when there are any
 */
char *
oip_gui_error_details (const GError *error)
{
  const char *ozon = oip_error_get_ozon_message (error);
  guint status = oip_error_get_http_status (error);

  if (ozon != NULL && *ozon != '\0' && status != 0)
    /* Translators: %u is an HTTP status such as 403, %s Ozon's message, in English */
    return g_strdup_printf (_("Ozon’s answer (HTTP %u): %s"), status, ozon);
  if (ozon != NULL && *ozon != '\0')
    /* Translators: %s is Ozon's message, in English */
    return g_strdup_printf (_("Ozon’s answer: %s"), ozon);
  if (status != 0)
    return g_strdup_printf (_("Ozon’s answer: HTTP status %u"), status);
  return NULL;
}

/**
 * oip_gui_error_offers_preferences:
 *
 * Returns: whether @error is fixed in Preferences (credentials, keyring,
 *   storage, timeout)
 */
gboolean
oip_gui_error_offers_preferences (const GError *error)
{
  int code = error_code (error);

  return oip_error_is_auth (error) ||
         code == OIP_ERROR_KEYRING_UNAVAILABLE ||
         code == OIP_ERROR_STORAGE_NOT_CONFIGURED ||
         code == OIP_ERROR_STORAGE_DENIED ||
         code == OIP_ERROR_TIMEOUT;
}

/**
 * oip_gui_error_details_widget:
 *
 * Returns: (transfer floating) (nullable): an expander with Ozon's words,
 *   selectable so they can be copied into a support request
 */
GtkWidget *
oip_gui_error_details_widget (const GError *error)
{
  g_autofree char *details = oip_gui_error_details (error);
  GtkWidget *expander;
  GtkWidget *label;

  if (details == NULL)
    return NULL;
  label = gtk_label_new (details);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  expander = gtk_expander_new_with_mnemonic (_("_Details"));
  gtk_expander_set_child (GTK_EXPANDER (expander), label);
  return expander;
}

static void
on_error_response (GtkWidget  *alert,
                   const char *response,
                   GtkWidget  *parent)
{
  if (g_str_equal (response, "preferences"))
    gtk_widget_activate_action (parent, "app.preferences", NULL);
}

/**
 * oip_gui_show_error:
 * @parent: a widget of the window the error happened in
 *
 * An alert with the error, what to do, Ozon's words under Details, and
 * "Open Preferences" where that is where it is fixed. Cancellations are
 * the seller's own doing and are not shown.
 */
void
oip_gui_show_error (GtkWidget    *parent,
                    const GError *error)
{
  GtkWidget *alert;
  GtkWidget *details;

  g_return_if_fail (GTK_IS_WIDGET (parent));
  g_return_if_fail (error != NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  alert = oip_alert_new (error->message, oip_gui_error_hint (error));
  oip_alert_add_response (alert, "close", _("_Close"), ADW_RESPONSE_DEFAULT);
  oip_alert_set_close_response (alert, "close");
  oip_alert_set_default_response (alert, "close");
  if (oip_gui_error_offers_preferences (error))
    {
      oip_alert_add_response (alert, "preferences", _("Open _Preferences"), ADW_RESPONSE_SUGGESTED);
      oip_alert_set_default_response (alert, "preferences");
    }
  details = oip_gui_error_details_widget (error);
  if (details != NULL)
    oip_alert_set_extra_child (alert, details);
  oip_alert_present (alert, parent, (OipAlertFunc) on_error_response, parent);
}
