/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <unistd.h>
#include <gio/gunixinputstream.h>
#include <glib/gi18n-lib.h>

#include "oip-cli.h"
#include "oip-error.h"
#include "oip-push-json.h"
#include "oip-push-job.h"
#include "oip-url.h"

static GBytes *
read_request (OipCli      *cli,
              const char  *path,
              GError     **error)
{
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GError) local_error = NULL;
  GBytes *bytes;

  if (g_strcmp0 (path, "-") == 0)
    input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
      g_autoptr(GAsyncResult) result = NULL;

      g_file_read_async (file, G_PRIORITY_DEFAULT, cli->cancellable, oip_cli_on_ready, &result);
      input = G_INPUT_STREAM (g_file_read_finish (file, oip_cli_wait (&result), &local_error));
    }

  /* A file, a FIFO, a device (/dev/zero) or standard input: never more
   * than the largest request is read. */
  if (input != NULL &&
      (bytes = oip_cli_read_bounded (cli, input, OIP_PUSH_REQUEST_MAX_SIZE, &local_error)) != NULL)
    return bytes;

  if (g_error_matches (local_error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST))
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_set_error (error, OIP_ERROR, OIP_ERROR_IO, _("Could not read the request “%s”: %s"),
                 path, local_error->message);
  return NULL;
}

static void
on_stage_changed (OipPushJob *job,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  switch (oip_push_job_get_stage (job))
    {
    case OIP_PUSH_STAGE_PREPARING:
      g_printerr ("%s\n", _("Reading the product’s images on Ozon…"));
      break;
    case OIP_PUSH_STAGE_UPLOADING:
      g_printerr ("%s\n", _("Uploading pictures to your storage…"));
      break;
    case OIP_PUSH_STAGE_SENDING:
      g_printerr ("%s\n", _("Sending images to Ozon…"));
      break;
    case OIP_PUSH_STAGE_IMPORTING:
      g_printerr ("%s\n", _("Ozon is importing the images…"));
      break;
    case OIP_PUSH_STAGE_READING_BACK:
      g_printerr ("%s\n", _("Reading back the product’s images…"));
      break;
    case OIP_PUSH_STAGE_IDLE:
    case OIP_PUSH_STAGE_DONE:
    default:
      break;
    }
}

/* On a terminal, each image's state as it changes. */
static void
on_item_state (OipImageItem *item,
               GParamSpec   *pspec,
               gpointer      user_data)
{
  OipImageState state = oip_image_item_get_state (item);
  const char *error = oip_image_item_get_error (item);

  if (state == OIP_IMAGE_STATE_IMPORTED || state == OIP_IMAGE_STATE_SKIPPED ||
      state == OIP_IMAGE_STATE_FAILED || state == OIP_IMAGE_STATE_UPLOADED)
    g_printerr ("  %s: %s%s%s\n", oip_image_item_get_url (item), oip_image_state_to_string (state),
                error ? " — " : "", error ? error : "");
}

/* Paths on this computer become file:// URIs, which the push uploads. */
static void
resolve_local (GPtrArray *urls)
{
  for (guint i = 0; i < urls->len; i++)
    {
      char *uri = oip_url_local_file_uri (g_ptr_array_index (urls, i));

      if (uri != NULL)
        {
          g_free (urls->pdata[i]);
          urls->pdata[i] = uri;
        }
    }
}

static void
resolve_local_images (OipPushRequest *request)
{
  resolve_local (request->images);
  resolve_local (request->color_images);
  if (request->primary_image != NULL)
    {
      char *uri = oip_url_local_file_uri (request->primary_image);

      if (uri != NULL)
        {
          g_free (request->primary_image);
          request->primary_image = uri;
        }
    }
}

static int
print_validation (const OipPushPlan *plan)
{
  g_autoptr(JsonNode) node = oip_push_json_validation (plan);

  oip_cli_print_json (node);
  for (guint i = 0; i < plan->errors->len; i++)
    {
      OipValidationIssue *issue = g_ptr_array_index (plan->errors, i);

      if (oip_issue_is_url (issue->kind))
        /* Translators: field[index]: URL — reason */
        g_printerr (_("%s[%u]: %s — %s\n"), issue->field, issue->index, issue->url,
                    _(oip_issue_reason (issue->kind)));
      else
        /* Translators: field: value as given — reason */
        g_printerr (_("%s: %s — %s\n"), issue->field, issue->url, _(oip_issue_reason (issue->kind)));
    }
  return OIP_CLI_EXIT_FAILED;
}

/**
 * oip_cli_run_job:
 * @job: a job whose plan passed
 *
 * Runs a push job and prints it the command line's way: the stages and
 * each image's state on a terminal, the seed's JSON at the end, the error
 * and its hint, notices and warnings on standard error.
 *
 * Returns: the exit code
 */
int
oip_cli_run_job (OipCli     *cli,
                 OipPushJob *job)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  const OipPushResult *push_result;
  gboolean ran;

  if (isatty (STDERR_FILENO))
    {
      GListModel *items = oip_push_job_get_items (job);

      g_signal_connect (job, "notify::stage", G_CALLBACK (on_stage_changed), NULL);
      for (guint i = 0; i < g_list_model_get_n_items (items); i++)
        {
          g_autoptr(OipImageItem) item = g_list_model_get_item (items, i);

          g_signal_connect (item, "notify::state", G_CALLBACK (on_item_state), NULL);
        }
    }

  oip_push_job_run_async (job, cli->cancellable, oip_cli_on_ready, &result);
  ran = oip_push_job_run_finish (job, oip_cli_wait (&result), &error);
  push_result = oip_push_job_get_result (job);
  if (!ran && push_result != NULL && push_result->previous_images == NULL && !push_result->import_accepted)
    {
      /* Stopped before Ozon was reached: the seed's plain error. */
      if (g_error_matches (error, OIP_ERROR, OIP_ERROR_PRODUCT_NOT_FOUND))
        {
          g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, oip_push_job_get_product_id (job));

          /* The command line's own hint: the command that downloads it. */
          g_clear_error (&error);
          g_set_error (&error, OIP_ERROR, OIP_ERROR_PRODUCT_NOT_FOUND,
                       _("Product ID %s not found. Download the product information first: "
                         "ozon-push product --product-id %s"), id, id);
        }
      return oip_cli_fail (error);
    }

  node = oip_push_json_job (job, error);
  oip_cli_print_json (node);
  if (error == NULL)
    error = oip_push_result_to_error (push_result);
  if (error != NULL)
    {
      int code = error->domain == OIP_ERROR ? error->code : OIP_ERROR_FAILED;

      g_printerr ("ozon-push: %s\n%s\n", error->message, oip_error_hint (code));
    }
  for (guint i = 0; i < push_result->notices->len; i++)
    {
      g_autofree char *text = oip_notice_describe (g_ptr_array_index (push_result->notices, i));

      g_printerr ("ozon-push: %s\n", text);
    }
  for (guint i = 0; i < push_result->warnings->len; i++)
    g_printerr ("ozon-push: %s\n", (const char *) g_ptr_array_index (push_result->warnings, i));
  return error == NULL ? OIP_CLI_EXIT_OK : OIP_CLI_EXIT_FAILED;
}

/* `ozon-push push`: the seed's push endpoint on the command line. */
int
oip_cli_push (OipCli  *cli,
              int      argc,
              char   **argv)
{
  g_autofree char *request_path = NULL;
  g_autofree char *product_id = NULL;
  g_autofree char *primary_image = NULL;
  g_autofree char *color_image = NULL;
  g_auto(GStrv) images = NULL;
  g_auto(GStrv) images360 = NULL;
  const GOptionEntry entries[] = {
    { "request", 0, 0, G_OPTION_ARG_FILENAME, &request_path,
      N_("Read the push request JSON from FILE (“-” for standard input)"), N_("FILE") },
    { "product-id", 0, 0, G_OPTION_ARG_STRING, &product_id, N_("Ozon’s product_id (download it first)"), N_("N") },
    { "image", 0, 0, G_OPTION_ARG_STRING_ARRAY, &images, N_("An image URL, or a file (./photo.jpg) to upload to your storage first; repeat in display order"), N_("URL") },
    { "primary-image", 0, 0, G_OPTION_ARG_STRING, &primary_image, N_("The main image, if not the first"), N_("URL") },
    { "color-image", 0, 0, G_OPTION_ARG_STRING, &color_image, N_("The color image"), N_("URL") },
    { "image360", 0, 0, G_OPTION_ARG_STRING_ARRAY, &images360, N_("A 360° image URL (checked, not sent)"), N_("URL") },
    { "no-validate-urls", 0, 0, G_OPTION_ARG_NONE, &cli->no_validate_urls, N_("Do not check URL format before sending"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— replace a product’s images on Ozon"));
  g_autoptr(OipPushRequest) request = NULL;
  g_autoptr(OipContext) push_context = NULL;
  g_autoptr(OipPushJob) job = NULL;
  g_autoptr(GError) error = NULL;
  const OipPushPlan *plan;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, oip_cli_common_options (cli));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Every push replaces all of the product’s images: list every image it should keep.\n"
      "Only the first 30 images are sent; 360° images are checked but Ozon no longer takes them."));
  if (!oip_cli_parse (cli, context, &argc, &argv))
    return OIP_CLI_EXIT_USAGE;

  if (argc > 1)
    return oip_cli_usage_error (context, _("Unexpected argument; image URLs go after --image"));
  if ((request_path != NULL) == (product_id != NULL))
    return oip_cli_usage_error (context, _("Give either --request FILE or --product-id N"));

  if (request_path != NULL)
    {
      g_autoptr(GBytes) bytes = NULL;

      if (images != NULL || images360 != NULL || primary_image != NULL || color_image != NULL)
        return oip_cli_usage_error (context, _("--request cannot be combined with image options"));

      bytes = read_request (cli, request_path, &error);
      if (bytes == NULL ||
          (request = oip_push_request_from_json (g_bytes_get_data (bytes, NULL),
                                                 g_bytes_get_size (bytes), &error)) == NULL)
        return oip_cli_fail (error);
    }
  else
    {
      request = oip_push_request_new ();
      /* A wrong one is reported with the other problems, in JSON. */
      oip_push_request_set_product_id (request, product_id);
      for (guint i = 0; images != NULL && images[i] != NULL; i++)
        g_ptr_array_add (request->images, g_strdup (images[i]));
      for (guint i = 0; images360 != NULL && images360[i] != NULL; i++)
        g_ptr_array_add (request->images360, g_strdup (images360[i]));
      if (color_image != NULL && *color_image != '\0')
        g_ptr_array_add (request->color_images, g_strdup (color_image));
      if (primary_image != NULL && *primary_image != '\0')
        request->primary_image = g_steal_pointer (&primary_image);
    }
  resolve_local_images (request);

  push_context = oip_cli_new_context (cli, request->client_id, request->api_key, TRUE, &error);
  if (push_context == NULL)
    return oip_cli_fail (error);
  job = oip_push_job_new_for_request (push_context, request);

  /* Validation first: it needs neither the network nor the keyring. */
  plan = oip_push_job_get_plan (job);
  if (plan->errors->len > 0)
    return print_validation (plan);

  return oip_cli_run_job (cli, job);
}
