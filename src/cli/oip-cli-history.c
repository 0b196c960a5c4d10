/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <unistd.h>
#include <gio/gunixinputstream.h>
#include <glib/gi18n-lib.h>

#include "oip-cli.h"
#include "oip-error.h"
#include "oip-json.h"
#include "oip-push-json.h"

/* `ozon-push history`, `restore` and `retry`: the pushes recorded in the
 * database, and the two ways back from a wrong one. */

static gboolean
parse_id (const char *text,
          gint64     *id)
{
  return text != NULL && g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, id, NULL);
}

/* `ozon-push history [--product-id N] [--limit N]`: JSON lines, newest
 * first. */
int
oip_cli_history (OipCli  *cli,
                 int      argc,
                 char   **argv)
{
  g_autofree char *product_id = NULL;
  int limit = 20;
  const GOptionEntry entries[] = {
    { "product-id", 0, 0, G_OPTION_ARG_STRING, &product_id, N_("Only this product’s pushes"), N_("N") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("How many pushes, newest first (default 20; 0 for all)"), N_("N") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— the pushes made from this computer, newest first"));
  g_autoptr(OipProductStore) store = NULL;
  g_autoptr(OipHistory) history = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!oip_cli_parse (cli, context, &argc, &argv))
    return OIP_CLI_EXIT_USAGE;
  if (argc > 1 || limit < 0 || (product_id != NULL && !parse_id (product_id, &id)))
    return oip_cli_usage_error (context, _("--product-id takes a positive whole number and --limit 0 or more"));

  if ((store = oip_cli_load_store (cli, &error)) == NULL)
    return oip_cli_fail (error);
  history = oip_history_new (oip_product_store_get_database (store));
  oip_history_list_async (history, id, limit, 0, cli->cancellable, oip_cli_on_ready, &result);
  records = oip_history_list_finish (history, oip_cli_wait (&result), &error);
  if (records == NULL)
    return oip_cli_fail (error);

  /* One JSON object a line: easy to filter, to stream, to append. */
  for (guint i = 0; i < records->len; i++)
    {
      g_autoptr(JsonNode) node = oip_push_json_record (g_ptr_array_index (records, i));
      g_autofree char *line = oip_json_to_string (node, FALSE);

      g_print ("%s\n", line);
    }
  return OIP_CLI_EXIT_OK;
}

static OipPushRecord *
load_record (OipCli      *cli,
             OipContext  *context,
             gint64       id,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  OipHistory *history = oip_context_get_history (context);

  oip_history_get_async (history, id, cli->cancellable, oip_cli_on_ready, &result);
  return oip_history_get_finish (history, oip_cli_wait (&result), error);
}

/* Restoring replaces every image of a product: on a terminal the seller
 * says yes; a script says --yes. */
static gboolean
confirm_restore (OipCli              *cli,
                 const OipPushRecord *record,
                 OipPushJob          *job,
                 GOptionContext      *context)
{
  g_autoptr(GInputStream) stdin_stream = NULL;
  g_autoptr(GDataInputStream) input = NULL;
  g_autofree char *answer = NULL;
  GListModel *items = oip_push_job_get_items (job);

  if (!isatty (STDIN_FILENO))
    {
      oip_cli_usage_error (context, _("Restoring replaces every image of the product: confirm with --yes"));
      return FALSE;
    }

  g_printerr (_("Product %s (%s) will have these images again:\n"),
              record->offer_id ? record->offer_id : "", record->client_id ? record->client_id : "");
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(OipImageItem) item = g_list_model_get_item (items, i);

      g_printerr ("  %s%s\n", oip_image_item_get_url (item),
                  oip_image_item_get_is_color (item) ? _(" (color image)") : "");
    }
  stdin_stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  input = g_data_input_stream_new (stdin_stream);
  answer = oip_cli_read_line (cli, input, _("Replace the product’s images on Ozon with these? [y/N] "),
                              FALSE, NULL);
  if (answer != NULL)
    {
      /* Translators: the answers that mean yes, in lower case, separated by | */
      g_auto(GStrv) yes = g_strsplit (_("y|yes"), "|", -1);
      g_autofree char *lower = g_utf8_strdown (answer, -1);

      if (*lower != '\0' && (g_strv_contains ((const char * const *) yes, lower) ||
                             g_str_equal (lower, "y") || g_str_equal (lower, "yes")))
        return TRUE;
    }
  g_printerr ("%s\n", _("Nothing was changed."));
  return FALSE;
}

static int
run_from_record (OipCli   *cli,
                 int       argc,
                 char    **argv,
                 gboolean  retry)
{
  g_autofree char *push_id = NULL;
  gboolean yes = FALSE;
  const GOptionEntry restore_entries[] = {
    { "push", 0, 0, G_OPTION_ARG_STRING, &push_id, N_("The recorded push (its id from “ozon-push history”)"), N_("ID") },
    { "yes", 0, 0, G_OPTION_ARG_NONE, &yes, N_("Do not ask before replacing the product’s images"), NULL },
    { NULL }
  };
  const GOptionEntry retry_entries[] = {
    { "push", 0, 0, G_OPTION_ARG_STRING, &push_id, N_("The recorded push (its id from “ozon-push history”)"), N_("ID") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new (retry ? _("— send again the images that failed in a push, with the ones Ozon took")
                                : _("— put back the images a product had right before a push"));
  g_autoptr(OipContext) push_context = NULL;
  g_autoptr(OipPushRecord) record = NULL;
  g_autoptr(OipPushJob) job = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  g_option_context_add_main_entries (context, retry ? retry_entries : restore_entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, oip_cli_common_options (cli));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!oip_cli_parse (cli, context, &argc, &argv))
    return OIP_CLI_EXIT_USAGE;
  if (argc > 1 || !parse_id (push_id, &id))
    return oip_cli_usage_error (context, _("--push takes a push id from “ozon-push history”"));

  if ((push_context = oip_cli_new_context (cli, NULL, NULL, TRUE, &error)) == NULL ||
      (record = load_record (cli, push_context, id, &error)) == NULL)
    return oip_cli_fail (error);

  job = retry ? oip_push_job_new_retry (push_context, record, &error)
              : oip_push_job_new_restore (push_context, record, OIP_PUSH_KIND_RESTORE, &error);
  if (job == NULL)
    return oip_cli_fail (error);
  if (oip_push_job_get_plan (job)->errors->len > 0)
    {
      g_autoptr(JsonNode) node = oip_push_json_validation (oip_push_job_get_plan (job));

      oip_cli_print_json (node);
      return OIP_CLI_EXIT_FAILED;
    }
  if (!retry && !yes && !confirm_restore (cli, record, job, context))
    return isatty (STDIN_FILENO) ? OIP_CLI_EXIT_FAILED : OIP_CLI_EXIT_USAGE;

  return oip_cli_run_job (cli, job);
}

/* `ozon-push restore --push ID [--yes]` */
int
oip_cli_restore (OipCli  *cli,
                 int      argc,
                 char   **argv)
{
  return run_from_record (cli, argc, argv, FALSE);
}

/* `ozon-push retry --push ID` */
int
oip_cli_retry (OipCli  *cli,
               int      argc,
               char   **argv)
{
  return run_from_record (cli, argc, argv, TRUE);
}
