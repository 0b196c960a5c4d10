/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <unistd.h>
#include <gio/gunixinputstream.h>
#include <glib/gi18n-lib.h>

#include "oip-bulk-run.h"
#include "oip-cli.h"
#include "oip-error.h"
#include "oip-http.h"
#include "oip-json.h"

/* `ozon-push bulk`: many products from a CSV or a folder of product
 * folders, reviewed, confirmed and pushed at the pace Ozon allows; the
 * review and the progress on standard error, one JSON line per product on
 * standard output as it finishes, and a summary line at the end. */

typedef struct
{
  OipCli     *cli;
  OipBulkRun *run;
  gboolean    progress;     /* a terminal: the \r-updated line */
  gboolean    line_shown;
  gint64      last_line;
  gboolean    told_id;
} Bulk;

/* Output */

static void
print_line (JsonNode *node)
{
  g_autofree char *text = oip_json_to_string (node, FALSE);

  g_print ("%s\n", text);
  /* A script reads each product as it finishes, even through a pipe. */
  fflush (stdout);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

/* Each image that did not make it, with the seller's words and Ozon's. */
static void
add_image_errors (JsonBuilder *builder,
                  OipBulkItem *item)
{
  GListModel *images = oip_bulk_item_get_images (item);

  json_builder_set_member_name (builder, "errors");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (images); i++)
    {
      g_autoptr(OipImageItem) image = g_list_model_get_item (images, i);

      if (oip_image_item_get_state (image) != OIP_IMAGE_STATE_FAILED)
        continue;
      json_builder_begin_object (builder);
      add_string (builder, "url", oip_image_item_get_url (image));
      add_string (builder, "message", oip_image_item_get_error (image));
      add_string (builder, "ozon_message", oip_image_item_get_ozon_message (image));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static JsonNode *
item_json (OipBulkItem *item)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "offer_id", oip_bulk_item_get_offer_id (item));
  add_int (builder, "product_id", oip_bulk_item_get_product_id (item));
  add_string (builder, "identifier", oip_bulk_item_get_identifier (item));
  add_string (builder, "state", oip_bulk_item_state_to_string (oip_bulk_item_get_state (item)));
  add_int (builder, "sent", oip_bulk_item_get_n_sent (item));
  add_int (builder, "imported", oip_bulk_item_get_n_imported (item) + oip_bulk_item_get_n_skipped (item));
  add_int (builder, "failed", oip_bulk_item_get_n_failed (item));
  add_image_errors (builder, item);
  add_int (builder, "push_id", oip_bulk_item_get_history_id (item));
  if (oip_bulk_item_get_error (item) != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_begin_object (builder);
      add_string (builder, "message", oip_bulk_item_get_error (item));
      add_string (builder, "ozon_message", oip_bulk_item_get_ozon_message (item));
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
summary_json (OipBulkRun   *run,
              double        seconds,
              const GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  static const struct { const char *name; OipBulkItemState state; } counts[] = {
    { "imported", OIP_BULK_ITEM_IMPORTED }, { "partial", OIP_BULK_ITEM_PARTIAL },
    { "failed", OIP_BULK_ITEM_FAILED }, { "not_found", OIP_BULK_ITEM_NOT_FOUND },
    { "invalid", OIP_BULK_ITEM_INVALID }, { "skipped", OIP_BULK_ITEM_SKIPPED },
  };

  json_builder_begin_object (builder);
  add_int (builder, "run_id", oip_bulk_run_get_id (run));
  add_int (builder, "products", g_list_model_get_n_items (oip_bulk_run_get_items (run)));
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    add_int (builder, counts[i].name, oip_bulk_run_get_count (run, counts[i].state));
  add_int (builder, "not_sent", oip_bulk_run_get_count (run, OIP_BULK_ITEM_QUEUED) +
                                oip_bulk_run_get_count (run, OIP_BULK_ITEM_PLANNED) +
                                oip_bulk_run_get_count (run, OIP_BULK_ITEM_SENDING) +
                                oip_bulk_run_get_count (run, OIP_BULK_ITEM_IMPORTING) +
                                oip_bulk_run_get_count (run, OIP_BULK_ITEM_UPLOADING));
  /* Whole numbers: a double prints with all its binary digits. */
  add_int (builder, "seconds", (gint64) (seconds + 0.5));
  add_int (builder, "milliseconds", (gint64) (seconds * 1000 + 0.5));
  if (error != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_begin_object (builder);
      add_string (builder, "code", error->domain == OIP_ERROR ? oip_error_code_name (error->code)
                                   : g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? "cancelled"
                                   : "failed");
      add_string (builder, "message", error->message);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The review */

static const char *
item_name (OipBulkItem *item)
{
  return oip_bulk_item_get_offer_id (item) ? oip_bulk_item_get_offer_id (item) : oip_bulk_item_get_identifier (item);
}

static void
print_problems (OipBulkItem *item)
{
  const char * const *problems = oip_bulk_item_get_problems (item);

  for (guint i = 0; problems != NULL && problems[i] != NULL; i++)
    g_printerr ("      %s\n", problems[i]);
}

static void
review_item (OipBulkItem *item)
{
  const char *location = oip_bulk_item_get_location (item);
  g_autofree char *where = location ? g_strdup_printf (" [%s]", location) : g_strdup ("");

  switch (oip_bulk_item_get_state (item))
    {
    case OIP_BULK_ITEM_NOT_FOUND:
      g_printerr (_("  %s%s: not found on Ozon\n"), item_name (item), where);
      break;
    case OIP_BULK_ITEM_INVALID:
      g_printerr (_("  %s%s: cannot be sent\n"), item_name (item), where);
      print_problems (item);
      return;
    case OIP_BULK_ITEM_SKIPPED:
      g_printerr (_("  %s%s: already has these images, nothing to change\n"), item_name (item), where);
      break;
    case OIP_BULK_ITEM_IMPORTED:
    case OIP_BULK_ITEM_PARTIAL:
    case OIP_BULK_ITEM_FAILED:
      /* A resumed run's products that already have their outcome. */
      g_printerr (_("  %s%s: done before (%s)\n"), item_name (item), where,
                  oip_bulk_item_state_to_string (oip_bulk_item_get_state (item)));
      return;
    default:
      /* Translators: offer ID [where], images now → images after, removed */
      g_printerr (_("  %s%s: %u → %u images, %u removed\n"), item_name (item), where,
                  oip_bulk_item_get_n_before (item), oip_bulk_item_get_n_after (item),
                  oip_bulk_item_get_n_removed (item));
      break;
    }
  print_problems (item);
}

static void
print_review (OipBulkRun *run)
{
  GListModel *items = oip_bulk_run_get_items (run);
  GPtrArray *problems = oip_bulk_run_get_input_problems (run);
  guint n = g_list_model_get_n_items (items);
  g_autofree char *size = g_format_size (oip_bulk_run_get_local_bytes (run));

  for (guint i = 0; i < problems->len; i++)
    {
      OipBulkProblem *problem = g_ptr_array_index (problems, i);

      /* Translators: where in the input (file:line), then what is wrong */
      g_printerr (_("%s: left out: %s\n"), problem->where, problem->message);
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OipBulkItem) item = g_list_model_get_item (items, i);

      review_item (item);
    }
  g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u product to push, ", "%u products to push, ",
                           oip_bulk_run_get_n_left (run)),
              oip_bulk_run_get_n_left (run));
  g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u image, ", "%u images, ", oip_bulk_run_get_n_images (run)),
              oip_bulk_run_get_n_images (run));
  g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u local file (%s) to upload\n", "%u local files (%s) to upload\n",
                           oip_bulk_run_get_n_local_files (run)),
              oip_bulk_run_get_n_local_files (run), size);
  g_printerr (_("Not found: %u, cannot be sent: %u, nothing to change: %u, rows left out: %u\n"),
              oip_bulk_run_get_count (run, OIP_BULK_ITEM_NOT_FOUND), oip_bulk_run_get_count (run, OIP_BULK_ITEM_INVALID),
              oip_bulk_run_get_count (run, OIP_BULK_ITEM_SKIPPED), problems->len);
  if (oip_bulk_run_get_daily_left (run) >= 0)
    {
      g_autofree char *left = g_strdup_printf ("%" G_GINT64_FORMAT, oip_bulk_run_get_daily_left (run));

      g_printerr (_("Ozon allows %s more product changes today\n"), left);
    }
  for (guint i = 0; i < oip_bulk_run_get_warnings (run)->len; i++)
    g_printerr ("ozon-push: %s\n", (const char *) g_ptr_array_index (oip_bulk_run_get_warnings (run), i));
}

/* Pushing replaces every image of every product: on a terminal the
 * seller says yes; a script says --yes. */
static gboolean
ask (OipCli     *cli,
     OipBulkRun *run)
{
  g_autoptr(GInputStream) stdin_stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GDataInputStream) input = g_data_input_stream_new (stdin_stream);
  g_autofree char *prompt = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "Replace the images of %u product on Ozon? [y/N] ",
                                                          "Replace the images of %u products on Ozon? [y/N] ",
                                                          oip_bulk_run_get_n_left (run)),
                                             oip_bulk_run_get_n_left (run));
  g_autofree char *answer = oip_cli_read_line (cli, input, prompt, FALSE, NULL);
  g_autofree char *lower = answer ? g_utf8_strdown (answer, -1) : NULL;
  /* Translators: the answers that mean yes, in lower case, separated by | */
  g_auto(GStrv) yes = g_strsplit (_("y|yes"), "|", -1);

  if (lower != NULL && *lower != '\0' &&
      (g_strv_contains ((const char * const *) yes, lower) || g_str_equal (lower, "y") || g_str_equal (lower, "yes")))
    return TRUE;
  g_printerr ("%s\n", _("Nothing was changed."));
  return FALSE;
}

/* Progress on a terminal */

static void
show_progress (Bulk     *bulk,
               gboolean  force)
{
  OipBulkRun *run = bulk->run;
  gint64 now = g_get_monotonic_time ();
  double left = oip_bulk_run_get_seconds_left (run);
  g_autofree char *eta = left >= 0 ? oip_http_format_wait ((guint64) (left + 0.5)) : g_strdup ("?");
  guint failed = oip_bulk_run_get_count (run, OIP_BULK_ITEM_FAILED) + oip_bulk_run_get_count (run, OIP_BULK_ITEM_PARTIAL);

  if (!bulk->progress || (!force && now - bulk->last_line < G_USEC_PER_SEC / 5))
    return;
  bulk->last_line = now;
  bulk->line_shown = TRUE;
  /* The line is written over each time. */
  g_printerr ("\r");
  /* Translators: the progress line: done/total, failed, products a minute, time left */
  g_printerr (_("%u/%u done, %u failed, %.0f a minute, %s left   "), oip_bulk_run_get_n_done (run),
              oip_bulk_run_get_n_to_send (run), failed, oip_bulk_run_get_rate (run), eta);
}

static void
end_progress (Bulk *bulk)
{
  if (bulk->line_shown)
    g_printerr ("\n");
  bulk->line_shown = FALSE;
}

static void
on_progress (OipBulkRun *run,
             GParamSpec *pspec,
             Bulk       *bulk)
{
  show_progress (bulk, FALSE);
}

static void
on_item_finished (OipBulkRun  *run,
                  OipBulkItem *item,
                  Bulk        *bulk)
{
  g_autoptr(JsonNode) node = item_json (item);

  print_line (node);
  show_progress (bulk, FALSE);
}

static void
on_id (OipBulkRun *run,
       GParamSpec *pspec,
       Bulk       *bulk)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, oip_bulk_run_get_id (run));

  if (bulk->told_id || oip_bulk_run_get_id (run) == 0)
    return;
  bulk->told_id = TRUE;
  end_progress (bulk);
  g_printerr (_("Bulk run %s: if it stops, go on with “ozon-push bulk --resume %s”\n"), id, id);
}

/* Making the run */

static OipBulkInput *
read_input (OipCli      *cli,
            const char  *folder,
            const char  *csv,
            GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (folder ? folder : csv);
  g_autoptr(GAsyncResult) result = NULL;

  if (folder != NULL)
    {
      oip_bulk_input_read_folder_async (file, cli->cancellable, oip_cli_on_ready, &result);
      return oip_bulk_input_read_folder_finish (oip_cli_wait (&result), error);
    }
  oip_bulk_input_read_csv_async (file, cli->cancellable, oip_cli_on_ready, &result);
  return oip_bulk_input_read_csv_finish (oip_cli_wait (&result), error);
}

static OipBulkRun *
make_run (OipCli      *cli,
          OipContext  *context,
          const char  *folder,
          const char  *csv,
          gint64       resume,
          gint64       undo,
          GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(OipBulkInput) input = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *source = NULL;

  if (resume > 0)
    {
      oip_bulk_run_load_async (context, resume, cli->cancellable, oip_cli_on_ready, &result);
      return oip_bulk_run_load_finish (oip_cli_wait (&result), error);
    }
  if (undo > 0)
    {
      oip_bulk_run_new_undo_async (context, undo, cli->cancellable, oip_cli_on_ready, &result);
      return oip_bulk_run_new_undo_finish (oip_cli_wait (&result), error);
    }
  if ((input = read_input (cli, folder, csv, error)) == NULL)
    return NULL;
  file = g_file_new_for_commandline_arg (folder ? folder : csv);
  source = g_file_get_path (file);
  return oip_bulk_run_new (context, input, source);
}

static gboolean
parse_run_id (const char *text,
              gint64     *id)
{
  return text == NULL || g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, id, NULL);
}

static gboolean
all_succeeded (OipBulkRun *run)
{
  guint n = g_list_model_get_n_items (oip_bulk_run_get_items (run));

  return oip_bulk_run_get_count (run, OIP_BULK_ITEM_IMPORTED) + oip_bulk_run_get_count (run, OIP_BULK_ITEM_SKIPPED) +
         oip_bulk_run_get_count (run, OIP_BULK_ITEM_PLANNED) == n;
}

/* --dry-run: each product's plan as a JSON line, nothing sent. */
static int
print_plan (OipBulkRun *run)
{
  GListModel *items = oip_bulk_run_get_items (run);
  g_autoptr(JsonNode) summary = summary_json (run, 0, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(OipBulkItem) item = g_list_model_get_item (items, i);
      g_autoptr(JsonNode) node = item_json (item);

      print_line (node);
    }
  print_line (summary);
  return all_succeeded (run) && oip_bulk_run_get_input_problems (run)->len == 0 ? OIP_CLI_EXIT_OK
                                                                               : OIP_CLI_EXIT_FAILED;
}

static int
send_run (Bulk *bulk)
{
  OipBulkRun *run = bulk->run;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) summary = NULL;
  gboolean done;

  g_signal_connect (run, "item-finished", G_CALLBACK (on_item_finished), bulk);
  g_signal_connect (run, "notify::n-done", G_CALLBACK (on_progress), bulk);
  g_signal_connect (run, "notify::seconds-left", G_CALLBACK (on_progress), bulk);
  g_signal_connect (run, "notify::id", G_CALLBACK (on_id), bulk);
  on_id (run, NULL, bulk);
  oip_bulk_run_send_async (run, bulk->cli->cancellable, oip_cli_on_ready, &result);
  done = oip_bulk_run_send_finish (run, oip_cli_wait (&result), &error);
  show_progress (bulk, TRUE);
  end_progress (bulk);

  summary = summary_json (run, oip_bulk_run_get_elapsed (run), error);
  print_line (summary);
  for (guint i = 0; i < oip_bulk_run_get_warnings (run)->len; i++)
    g_printerr ("ozon-push: %s\n", (const char *) g_ptr_array_index (oip_bulk_run_get_warnings (run), i));
  if (!done)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, oip_bulk_run_get_id (run));
      int code = error->domain == OIP_ERROR ? error->code : OIP_ERROR_FAILED;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_printerr ("ozon-push: %s\n", _("Stopped."));
      else
        g_printerr ("ozon-push: %s\n%s\n", error->message, oip_error_hint (code));
      if (oip_bulk_run_get_id (run) > 0)
        g_printerr (_("Go on with “ozon-push bulk --resume %s”.\n"), id);
      return OIP_CLI_EXIT_FAILED;
    }
  return all_succeeded (run) && oip_bulk_run_get_input_problems (run)->len == 0 ? OIP_CLI_EXIT_OK
                                                                               : OIP_CLI_EXIT_FAILED;
}

static int
plan_and_send (OipCli     *cli,
               OipBulkRun *run,
               gboolean    dry_run,
               gboolean    yes)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Bulk bulk = { .cli = cli, .run = run, .progress = isatty (STDERR_FILENO) };

  if (isatty (STDERR_FILENO))
    g_printerr ("%s\n", _("Looking the products up on Ozon…"));
  oip_bulk_run_plan_async (run, cli->cancellable, oip_cli_on_ready, &result);
  if (!oip_bulk_run_plan_finish (run, oip_cli_wait (&result), &error))
    return oip_cli_fail (error);
  print_review (run);
  if (dry_run)
    return print_plan (run);
  if (oip_bulk_run_get_n_left (run) == 0)
    {
      g_autoptr(JsonNode) summary = summary_json (run, 0, NULL);

      g_printerr ("%s\n", _("Nothing is left to push."));
      print_line (summary);
      return all_succeeded (run) && oip_bulk_run_get_input_problems (run)->len == 0 ? OIP_CLI_EXIT_OK
                                                                                   : OIP_CLI_EXIT_FAILED;
    }
  if (!yes)
    {
      if (!isatty (STDIN_FILENO))
        {
          g_printerr ("ozon-push: %s\n", _("Pushing replaces the products’ images: confirm with --yes, or review with --dry-run"));
          return OIP_CLI_EXIT_USAGE;
        }
      if (!ask (cli, run))
        return OIP_CLI_EXIT_FAILED;
    }
  if (!oip_bulk_run_confirm (run, &error))
    return oip_cli_fail (error);
  return send_run (&bulk);
}

/* `ozon-push bulk (--folder DIR | --csv FILE | --resume RUN | --undo RUN)
 * [--dry-run] [--yes]` */
int
oip_cli_bulk (OipCli  *cli,
              int      argc,
              char   **argv)
{
  g_autofree char *folder = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *resume_text = NULL;
  g_autofree char *undo_text = NULL;
  gboolean dry_run = FALSE;
  gboolean yes = FALSE;
  const GOptionEntry entries[] = {
    { "folder", 0, 0, G_OPTION_ARG_FILENAME, &folder, N_("A folder with one folder of pictures per offer ID"), N_("DIR") },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, N_("A CSV file: offer_id (or product_id, sku) and images"), N_("FILE") },
    { "resume", 0, 0, G_OPTION_ARG_STRING, &resume_text, N_("Go on with a bulk run that stopped"), N_("RUN") },
    { "undo", 0, 0, G_OPTION_ARG_STRING, &undo_text, N_("Put back the images every product of a bulk run had before it"), N_("RUN") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Only look the products up and show what would be pushed"), NULL },
    { "yes", 0, 0, G_OPTION_ARG_NONE, &yes, N_("Do not ask before replacing the products’ images"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— push many products’ images at the pace Ozon allows"));
  g_autoptr(OipContext) push_context = NULL;
  g_autoptr(OipBulkRun) run = NULL;
  g_autoptr(GError) error = NULL;
  gint64 resume = 0, undo = 0;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, oip_cli_common_options (cli));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Every push replaces all of a product's images. Products are looked up and checked first; nothing\n"
      "is sent before you confirm. Standard output gets one JSON line per product as it finishes and a\n"
      "summary line; the exit status is 0 only if every product succeeded."));
  if (!oip_cli_parse (cli, context, &argc, &argv))
    return OIP_CLI_EXIT_USAGE;
  if (argc > 1 || (folder != NULL) + (csv != NULL) + (resume_text != NULL) + (undo_text != NULL) != 1)
    return oip_cli_usage_error (context, _("Give one of --folder DIR, --csv FILE, --resume RUN or --undo RUN"));
  if (!parse_run_id (resume_text, &resume) || !parse_run_id (undo_text, &undo))
    return oip_cli_usage_error (context, _("--resume and --undo take a bulk run's ID"));

  if ((push_context = oip_cli_new_context (cli, NULL, NULL, TRUE, &error)) == NULL ||
      (run = make_run (cli, push_context, folder, csv, resume, undo, &error)) == NULL)
    return oip_cli_fail (error);
  return plan_and_send (cli, run, dry_run, yes);
}
