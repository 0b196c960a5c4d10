/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <unistd.h>
#include <gio/gunixinputstream.h>
#include <glib/gi18n-lib.h>

#include "oip-cli.h"
#include "oip-error.h"

/* `ozon-push login`, `logout` and `accounts`: the keyring from a script or
 * a terminal. The Api-Key is read from standard input, without echo on a
 * terminal, and never from the command line. */

static void
set_current (const char *client_id)
{
  g_autoptr(GSettings) settings = oip_settings_new ();

  if (settings == NULL)
    return;
  g_settings_set_string (settings, "current-client-id", client_id);
  g_settings_sync ();
}

static char *
get_current (void)
{
  g_autoptr(GSettings) settings = oip_settings_new ();

  return settings ? g_settings_get_string (settings, "current-client-id") : g_strdup ("");
}

static GOptionContext *
new_context (OipCli             *cli,
             const char         *summary,
             const GOptionEntry *entries,
             gboolean            network)
{
  GOptionContext *context = g_option_context_new (summary);

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (network)
    g_option_context_add_group (context, oip_cli_common_options (cli));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  return context;
}

int
oip_cli_login (OipCli  *cli,
               int      argc,
               char   **argv)
{
  g_autofree char *client_id = NULL;
  gboolean no_check = FALSE;
  const GOptionEntry entries[] = {
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &client_id, N_("The seller’s Client ID (asked for when not given)"), N_("ID") },
    { "no-check", 0, 0, G_OPTION_ARG_NONE, &no_check, N_("Store the key without testing it with Ozon"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = new_context (cli, _("— store an Ozon API Key, read from standard input, in the keyring"), entries, TRUE);
  g_autoptr(GInputStream) stdin_stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GDataInputStream) input = g_data_input_stream_new (stdin_stream);
  g_autoptr(OipCredentials) credentials = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *api_key = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  gint64 products = -1;

  if (!oip_cli_parse (cli, context, &argc, &argv))
    return OIP_CLI_EXIT_USAGE;
  if (argc > 1)
    return oip_cli_usage_error (context, _("The API Key is read from standard input, not from arguments"));

  if (client_id == NULL &&
      (client_id = oip_cli_read_line (cli, input, _("Client ID: "), FALSE, &error)) == NULL && error != NULL)
    return oip_cli_fail (error);
  if (client_id == NULL || *client_id == '\0')
    return oip_cli_usage_error (context, _("A Client ID is needed"));

  api_key = oip_cli_read_line (cli, input, _("API Key: "), TRUE, &error);
  if (api_key == NULL && error != NULL)
    return oip_cli_fail (error);
  if (api_key == NULL || *api_key == '\0')
    return oip_cli_usage_error (context, _("No API Key on standard input"));

  /* Before anything is sent or saved: a line break in either would split
   * the HTTP headers they go in. */
  if (!oip_credentials_check (client_id, api_key, &error))
    {
      memset (api_key, 0, strlen (api_key));
      return oip_cli_fail (error);
    }
  credentials = oip_credentials_new (client_id, api_key);
  memset (api_key, 0, strlen (api_key));

  /* A key Ozon refuses is not stored. */
  if (!no_check)
    {
      g_autoptr(OipContext) check_context = NULL;
      g_autoptr(OipOzonClient) client = NULL;

      if ((check_context = oip_cli_new_context (cli, credentials->client_id, credentials->api_key,
                                                FALSE, &error)) == NULL ||
          (client = oip_cli_create_client (cli, check_context, &error)) == NULL)
        return oip_cli_fail (error);
      oip_ozon_client_check_access_async (client, cli->cancellable, oip_cli_on_ready, &result);
      products = oip_ozon_client_check_access_finish (client, oip_cli_wait (&result), &error);
      if (products < 0)
        return oip_cli_fail (error);
      g_clear_object (&result);
    }

  oip_credentials_store_async (credentials, cli->cancellable, oip_cli_on_ready, &result);
  if (!oip_credentials_store_finish (oip_cli_wait (&result), &error))
    return oip_cli_fail (error);
  set_current (credentials->client_id);

  node = json_node_new (JSON_NODE_OBJECT);
  object = json_object_new ();
  json_object_set_boolean_member (object, "success", TRUE);
  json_object_set_string_member (object, "client_id", credentials->client_id);
  json_object_set_boolean_member (object, "checked", !no_check);
  if (products >= 0)
    json_object_set_int_member (object, "products", products);
  json_node_take_object (node, object);
  oip_cli_print_json (node);
  g_printerr (_("Saved the API Key for Client ID %s in the keyring.\n"), credentials->client_id);
  return OIP_CLI_EXIT_OK;
}

static GStrv
list_accounts (OipCli  *cli,
               GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  oip_credentials_list_async (cli->cancellable, oip_cli_on_ready, &result);
  return oip_credentials_list_finish (oip_cli_wait (&result), error);
}

int
oip_cli_logout (OipCli  *cli,
                int      argc,
                char   **argv)
{
  g_autofree char *client_id = NULL;
  const GOptionEntry entries[] = {
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &client_id, N_("The account to remove (default: the current one)"), N_("ID") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = new_context (cli, _("— remove an Ozon API Key from the keyring"), entries, FALSE);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *current = get_current ();
  g_auto(GStrv) accounts = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  if (!oip_cli_parse (cli, context, &argc, &argv))
    return OIP_CLI_EXIT_USAGE;
  if (argc > 1)
    return oip_cli_usage_error (context, _("Unexpected argument"));

  accounts = list_accounts (cli, &error);
  if (accounts == NULL)
    return oip_cli_fail (error);

  if (client_id == NULL)
    {
      if (*current != '\0' && g_strv_contains ((const char * const *) accounts, current))
        client_id = g_strdup (current);
      else if (g_strv_length (accounts) == 1)
        client_id = g_strdup (accounts[0]);
      else if (accounts[0] == NULL)
        {
          g_set_error_literal (&error, OIP_ERROR, OIP_ERROR_CREDENTIALS_MISSING,
                               _("Ozon API credentials are not configured"));
          return oip_cli_fail (error);
        }
      else
        return oip_cli_usage_error (context, _("Several accounts are stored: choose one with --client-id"));
    }

  if (!g_strv_contains ((const char * const *) accounts, client_id))
    {
      g_set_error (&error, OIP_ERROR, OIP_ERROR_CREDENTIALS_MISSING,
                   _("No API Key is stored for Client ID %s"), client_id);
      return oip_cli_fail (error);
    }

  oip_credentials_remove_async (client_id, cli->cancellable, oip_cli_on_ready, &result);
  if (!oip_credentials_remove_finish (oip_cli_wait (&result), &error))
    return oip_cli_fail (error);
  if (g_strcmp0 (current, client_id) == 0)
    set_current ("");

  node = json_node_new (JSON_NODE_OBJECT);
  object = json_object_new ();
  json_object_set_boolean_member (object, "success", TRUE);
  json_object_set_string_member (object, "client_id", client_id);
  json_node_take_object (node, object);
  oip_cli_print_json (node);
  return OIP_CLI_EXIT_OK;
}

int
oip_cli_accounts (OipCli  *cli,
                  int      argc,
                  char   **argv)
{
  const GOptionEntry entries[] = { { NULL } };
  g_autoptr(GOptionContext) context = new_context (cli, _("— list the Client IDs stored in the keyring"), entries, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *current = get_current ();
  g_auto(GStrv) accounts = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  JsonArray *array = json_array_new ();

  json_node_take_array (node, array);
  if (!oip_cli_parse (cli, context, &argc, &argv))
    return OIP_CLI_EXIT_USAGE;
  if (argc > 1)
    return oip_cli_usage_error (context, _("Unexpected argument"));

  accounts = list_accounts (cli, &error);
  if (accounts == NULL)
    return oip_cli_fail (error);

  for (guint i = 0; accounts[i] != NULL; i++)
    {
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "client_id", accounts[i]);
      json_object_set_boolean_member (object, "current", g_str_equal (accounts[i], current));
      json_array_add_object_element (array, object);
    }
  oip_cli_print_json (node);
  return OIP_CLI_EXIT_OK;
}
