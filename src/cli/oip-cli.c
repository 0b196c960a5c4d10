/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>

#include "oip-cli.h"
#include "oip-error.h"
#include "oip-json.h"
#include "oip-push-json.h"

/* A GString whose bytes are cleared when it is freed. */
typedef GString GStringSecret;

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
 * oip_cli_new_context:
 * @client_id: (nullable): from a request file
 * @api_key: (nullable): from a request file
 *
 * The context of one command: the settings with the command line's
 * overrides, `OZON_API_URL`, the credentials (the request's, else
 * `OZON_CLIENT_ID`/`OZON_API_KEY`, else the keyring's), and with
 * @with_store the product store and the push history.
 *
 * Returns: (transfer full) (nullable): the context, or %NULL when the
 *   store cannot be read
 */
OipContext *
oip_cli_new_context (OipCli      *cli,
                     const char  *client_id,
                     const char  *api_key,
                     gboolean     with_store,
                     GError     **error)
{
  g_autoptr(GSettings) settings = oip_settings_new ();
  g_autoptr(OipContext) context = oip_context_new (settings);
  g_autoptr(OipCredentials) env = NULL;
  g_autoptr(OipProductStore) store = NULL;
  g_autoptr(OipHistory) history = NULL;
  g_autoptr(GError) env_error = NULL;

  oip_context_override_push_settings (context, &cli->settings);
  oip_context_set_base_url (context, g_getenv ("OZON_API_URL"));
  if (client_id != NULL && api_key != NULL)
    {
      if (!oip_credentials_check (client_id, api_key, error))
        return NULL;
      oip_context_set_credentials (context, client_id, api_key);
    }
  else if ((env = oip_credentials_new_from_env (&env_error)) != NULL)
    oip_context_set_credentials (context, env->client_id, env->api_key);
  else if (env_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&env_error));
      return NULL;
    }

  if (!with_store)
    return g_steal_pointer (&context);
  store = oip_cli_load_store (cli, error);
  if (store == NULL)
    return NULL;
  oip_context_set_store (context, store);
  history = oip_history_new (oip_product_store_get_database (store));
  oip_context_set_history (context, history);
  return g_steal_pointer (&context);
}

/**
 * oip_cli_create_client:
 *
 * The context's client for the current account; a keyring that cannot be
 * reached means, for a command, that no credentials are configured.
 *
 * Returns: (transfer full) (nullable): the client
 */
OipOzonClient *
oip_cli_create_client (OipCli      *cli,
                       OipContext  *context,
                       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  OipOzonClient *client;

  oip_context_create_client_async (context, cli->cancellable, oip_cli_on_ready, &result);
  client = oip_context_create_client_finish (context, oip_cli_wait (&result), &local_error);
  if (client != NULL)
    return client;

  if (g_error_matches (local_error, OIP_ERROR, OIP_ERROR_KEYRING_UNAVAILABLE))
    g_set_error (error, OIP_ERROR, OIP_ERROR_CREDENTIALS_MISSING,
                 _("Ozon API credentials are not configured (%s)"), local_error->message);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
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
 * oip_cli_read_bounded:
 * @input: a file, a FIFO, a device or standard input
 * @max_size: the most that is accepted
 *
 * Reads @input to its end, but never more than @max_size + 1 bytes:
 * `/dev/zero` or an endless pipe is refused instead of filling memory.
 *
 * Returns: (transfer full): the content, or %NULL with
 *   %OIP_ERROR_INVALID_REQUEST when it is larger than @max_size, or the
 *   read error
 */
GBytes *
oip_cli_read_bounded (OipCli        *cli,
                      GInputStream  *input,
                      gsize          max_size,
                      GError       **error)
{
  g_autoptr(GByteArray) content = g_byte_array_new ();

  for (;;)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GBytes) chunk = NULL;
      gsize wanted = MIN (64 * 1024, max_size + 1 - content->len);

      g_input_stream_read_bytes_async (input, wanted, G_PRIORITY_DEFAULT, cli->cancellable,
                                       oip_cli_on_ready, &result);
      chunk = g_input_stream_read_bytes_finish (input, oip_cli_wait (&result), error);
      if (chunk == NULL)
        return NULL;
      if (g_bytes_get_size (chunk) == 0)
        break;
      g_byte_array_append (content, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
      if (content->len > max_size)
        {
          g_autofree char *limit = g_format_size (max_size);

          g_set_error (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                       _("The request is larger than %s"), limit);
          return NULL;
        }
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&content));
}

/* Clears a line that may hold a secret before it is freed. */
static void
string_free_secret (GString *line)
{
  memset (line->str, 0, line->allocated_len);
  g_string_free (line, TRUE);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GStringSecret, string_free_secret)

/* One line of @input, without its line break, at most @max_length bytes:
 * GDataInputStream's own read_line has no bound, and `login < /dev/zero`
 * would fill memory. */
static char *
read_line_bounded (OipCli            *cli,
                   GDataInputStream  *input,
                   gsize              max_length,
                   GError           **error)
{
  GBufferedInputStream *buffered = G_BUFFERED_INPUT_STREAM (input);
  g_autoptr(GStringSecret) line = g_string_new (NULL);
  gboolean at_end = FALSE;

  for (;;)
    {
      gsize available = 0;
      const char *data = g_buffered_input_stream_peek_buffer (buffered, &available);
      const char *newline;
      gsize take;

      if (available == 0)
        {
          g_autoptr(GAsyncResult) result = NULL;
          gssize filled;

          g_buffered_input_stream_fill_async (buffered, -1, G_PRIORITY_DEFAULT, cli->cancellable,
                                              oip_cli_on_ready, &result);
          filled = g_buffered_input_stream_fill_finish (buffered, oip_cli_wait (&result), error);
          if (filled < 0)
            return NULL;
          if (filled == 0)
            {
              at_end = TRUE;
              break;
            }
          continue;
        }

      newline = memchr (data, '\n', available);
      take = newline != NULL ? (gsize) (newline - data) : available;
      if (line->len + take > max_length)
        {
          g_set_error (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                       _("The line on standard input is longer than %u bytes"), (guint) max_length);
          return NULL;
        }
      g_string_append_len ((GString *) line, data, take);
      /* Already buffered: skipping does no I/O. */
      g_input_stream_skip (G_INPUT_STREAM (input), take + (newline != NULL), NULL, NULL);
      if (newline != NULL)
        break;
    }

  if (at_end && line->len == 0)
    return NULL;
  if (!g_utf8_validate_len (line->str, line->len, NULL))
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                           _("Standard input is not valid UTF-8 text"));
      return NULL;
    }
  return g_strndup (line->str, line->len);
}

/**
 * oip_cli_read_line:
 * @prompt: shown on a terminal only
 * @secret: whether to turn echo off while it is typed
 *
 * Reads one line of standard input, trimmed, of at most
 * %OIP_CLI_MAX_LINE bytes; keys and secrets come this way, never from the
 * command line.
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

  line = read_line_bounded (cli, input, OIP_CLI_MAX_LINE, error);

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
