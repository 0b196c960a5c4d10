/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>

#include "oip-cli.h"
#include "oip-error.h"
#include "oip-json.h"
#include "oip-push-json.h"

/**
 * oip_cli_common_options:
 *
 * Returns: (transfer full): the options every network command takes
 */
GOptionGroup *
oip_cli_common_options (OipCli *cli)
{
  const GOptionEntry entries[] = {
    { "timeout", 0, 0, G_OPTION_ARG_INT, &cli->timeout,
      N_("Seconds to wait for each answer from Ozon (default from settings: 30)"), N_("SECONDS") },
    { "max-retries", 0, 0, G_OPTION_ARG_INT, &cli->max_retries,
      N_("Retries after rate limits, server and network errors (default from settings: 2)"), N_("N") },
    { NULL }
  };
  GOptionGroup *group = g_option_group_new ("network", _("Network options:"),
                                            _("Show network options"), NULL, NULL);

  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  return group;
}

/**
 * oip_cli_parse:
 *
 * Parses options, printing the usage error; applies the overrides.
 *
 * Returns: %FALSE on a usage error
 */
gboolean
oip_cli_parse (OipCli           *cli,
               GOptionContext   *context,
               int              *argc,
               char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      oip_cli_usage_error (context, error->message);
      return FALSE;
    }

  if (cli->timeout == 0 || cli->timeout > 600 || cli->max_retries > 10 ||
      cli->timeout < -1 || cli->max_retries < -1)
    {
      oip_cli_usage_error (context, _("--timeout takes 1 to 600 seconds and --max-retries 0 to 10"));
      return FALSE;
    }
  if (cli->timeout > 0)
    cli->settings.timeout = cli->timeout;
  if (cli->max_retries >= 0)
    cli->settings.max_retries = cli->max_retries;
  if (cli->no_validate_urls)
    cli->settings.validate_urls = FALSE;
  return TRUE;
}

void
oip_cli_on_ready (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/**
 * oip_cli_wait:
 * @result: where oip_cli_on_ready() stores the result
 *
 * Runs the main loop until the operation started with oip_cli_on_ready()
 * finishes; the command line's one way of waiting.
 *
 * Returns: (transfer none): *@result
 */
GAsyncResult *
oip_cli_wait (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

/**
 * oip_cli_get_credentials:
 * @client_id: (nullable): from the request file
 * @api_key: (nullable): from the request file
 *
 * The request's credentials, else `OZON_CLIENT_ID`/`OZON_API_KEY`, else
 * the keyring's (the account chosen in settings, or the one saved last).
 * Never from the command line, where any user could read them.
 */
OipCredentials *
oip_cli_get_credentials (OipCli      *cli,
                         const char  *client_id,
                         const char  *api_key,
                         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) keyring_error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *current = NULL;
  OipCredentials *credentials;

  if (client_id != NULL && api_key != NULL)
    return oip_credentials_new (client_id, api_key);

  credentials = oip_credentials_new_from_env ();
  if (credentials != NULL)
    return credentials;

  settings = oip_settings_new ();
  if (settings != NULL)
    current = g_settings_get_string (settings, "current-client-id");

  oip_credentials_lookup_async (current, cli->cancellable, oip_cli_on_ready, &result);
  credentials = oip_credentials_lookup_finish (oip_cli_wait (&result), &keyring_error);
  if (credentials != NULL)
    return credentials;

  if (g_error_matches (keyring_error, OIP_ERROR, OIP_ERROR_KEYRING_UNAVAILABLE))
    g_set_error (error, OIP_ERROR, OIP_ERROR_CREDENTIALS_MISSING,
                 _("Ozon API credentials are not configured (%s)"), keyring_error->message);
  else
    g_propagate_error (error, g_steal_pointer (&keyring_error));
  return NULL;
}

/**
 * oip_cli_new_client:
 *
 * A client for `OZON_API_URL` (Ozon's own address when unset) with the
 * settings' timeout and retries.
 */
OipOzonClient *
oip_cli_new_client (OipCli               *cli,
                    const OipCredentials *credentials,
                    GError              **error)
{
  const char *base_url = g_getenv ("OZON_API_URL");
  OipOzonClient *client;

  if (base_url != NULL && *base_url == '\0')
    base_url = NULL;

  client = oip_ozon_client_new (base_url, credentials->client_id, credentials->api_key, error);
  if (client == NULL)
    return NULL;
  oip_ozon_client_set_timeout (client, cli->settings.timeout);
  oip_ozon_client_set_max_retries (client, cli->settings.max_retries);
  return client;
}

/**
 * oip_cli_new_context:
 * @client_id: (nullable): from a request file
 * @api_key: (nullable): from a request file
 *
 * The context of one command: the settings with the command line's
 * overrides, `OZON_API_URL`, the credentials (the request's, else
 * `OZON_CLIENT_ID`/`OZON_API_KEY`, else the keyring's), the product store
 * and the push history.
 *
 * Returns: (transfer full) (nullable): the context, or %NULL when the
 *   store cannot be read
 */
OipContext *
oip_cli_new_context (OipCli      *cli,
                     const char  *client_id,
                     const char  *api_key,
                     GError     **error)
{
  g_autoptr(GSettings) settings = oip_settings_new ();
  g_autoptr(OipContext) context = oip_context_new (settings);
  g_autoptr(OipCredentials) env = oip_credentials_new_from_env ();
  g_autoptr(OipProductStore) store = NULL;
  g_autoptr(OipHistory) history = NULL;

  oip_context_override_push_settings (context, &cli->settings);
  oip_context_set_base_url (context, g_getenv ("OZON_API_URL"));
  if (client_id != NULL && api_key != NULL)
    oip_context_set_credentials (context, client_id, api_key);
  else if (env != NULL)
    oip_context_set_credentials (context, env->client_id, env->api_key);

  store = oip_cli_load_store (cli, error);
  if (store == NULL)
    return NULL;
  oip_context_set_store (context, store);
  history = oip_history_new (oip_product_store_get_database (store));
  oip_context_set_history (context, history);
  return g_steal_pointer (&context);
}

/**
 * oip_cli_load_store:
 *
 * Opens the database and its product store. A command fails when the
 * database cannot be kept on disk (busy, disk full, read-only, not a
 * file, newer version), rather than pretend to remember a product; what
 * the seller should know otherwise (a damaged file moved aside) goes to
 * standard error.
 *
 * Returns: (transfer full) (nullable): the store
 */
OipProductStore *
oip_cli_load_store (OipCli  *cli,
                    GError **error)
{
  g_autoptr(OipDatabase) db = oip_database_new (NULL);
  g_autoptr(GAsyncResult) result = NULL;
  const char *notice;

  /* A short command skips reading every page; damage its statements
   * meet is handled the same way (moved aside, started afresh). */
  oip_database_set_quick_check (db, FALSE);
  oip_database_open_async (db, cli->cancellable, oip_cli_on_ready, &result);
  if (!oip_database_open_finish (db, oip_cli_wait (&result), error))
    return NULL;

  notice = oip_database_get_notice (db);
  if (notice != NULL)
    g_printerr ("ozon-push: %s\n", notice);
  return oip_product_store_new (db);
}

/**
 * oip_cli_read_line:
 * @prompt: shown on a terminal only
 * @secret: whether to turn echo off while it is typed
 *
 * Reads one line of standard input, trimmed; keys and secrets come this
 * way, never from the command line.
 *
 * Returns: (transfer full) (nullable): the line; %NULL at the end of input
 */
char *
oip_cli_read_line (OipCli            *cli,
                   GDataInputStream  *input,
                   const char        *prompt,
                   gboolean           secret,
                   GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  struct termios saved;
  gboolean echo_off = FALSE;
  char *line;

  if (isatty (STDIN_FILENO))
    {
      g_printerr ("%s", prompt);
      if (secret && tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          struct termios quiet = saved;

          quiet.c_lflag &= ~ECHO;
          echo_off = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }

  g_data_input_stream_read_line_async (input, G_PRIORITY_DEFAULT, cli->cancellable, oip_cli_on_ready, &result);
  line = g_data_input_stream_read_line_finish_utf8 (input, oip_cli_wait (&result), NULL, error);

  if (echo_off)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }
  if (line != NULL)
    g_strstrip (line);
  return line;
}

void
oip_cli_print_json (JsonNode *node)
{
  g_autofree char *text = oip_json_to_string (node, TRUE);

  g_print ("%s\n", text);
}

/**
 * oip_cli_fail:
 *
 * Prints @error as the seed's error JSON on stdout and in words on stderr.
 *
 * Returns: the exit code for it
 */
int
oip_cli_fail (const GError *error)
{
  g_autoptr(JsonNode) node = oip_push_json_error (error);
  int code = error->domain == OIP_ERROR ? error->code : OIP_ERROR_FAILED;

  oip_cli_print_json (node);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_printerr ("ozon-push: %s\n", _("Cancelled"));
  else
    g_printerr ("ozon-push: %s\n%s\n", error->message, oip_error_hint (code));
  return OIP_CLI_EXIT_FAILED;
}

int
oip_cli_usage_error (GOptionContext *context,
                     const char     *message)
{
  g_printerr ("ozon-push: %s\n", message);
  g_printerr (_("Try “%s --help” for more information."), g_get_prgname ());
  g_printerr ("\n");
  return OIP_CLI_EXIT_USAGE;
}
