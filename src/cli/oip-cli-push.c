/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <unistd.h>
#include <gio/gunixinputstream.h>
#include <glib/gi18n-lib.h>

#include "oip-cli.h"
#include "oip-error.h"
#include "oip-push-json.h"
#include "oip-push.h"

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
on_stage_changed (OipPush    *push,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  switch (oip_push_get_stage (push))
    {
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

static void
collect_local (GPtrArray *urls,
               GPtrArray *files,
               GPtrArray *slots)
{
  for (guint i = 0; i < urls->len; i++)
    if (oip_cli_is_local_image (g_ptr_array_index (urls, i)))
      {
        g_ptr_array_add (files, g_file_new_for_commandline_arg (g_ptr_array_index (urls, i)));
        g_ptr_array_add (slots, &urls->pdata[i]);
      }
}

static gboolean
upload_local_images (OipCli          *cli,
                     OipPushRequest  *request,
                     GError         **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) slots = g_ptr_array_new ();   /* char ** to replace */
  g_autoptr(GPtrArray) primary = g_ptr_array_new ();
  g_auto(GStrv) urls = NULL;

  collect_local (request->images, files, slots);
  collect_local (request->color_images, files, slots);
  if (request->primary_image != NULL)
    {
      g_ptr_array_add (primary, request->primary_image);
      collect_local (primary, files, slots);
    }
  if (files->len == 0)
    return TRUE;

  urls = oip_cli_upload_files (cli, files, error);
  if (urls == NULL)
    return FALSE;
  for (guint i = 0; i < slots->len; i++)
    {
      char **slot = g_ptr_array_index (slots, i);

      /* A main image named like one of the images gets the same URL: the
       * content is the same, so is its name in the storage. */
      g_free (*slot);
      *slot = g_strdup (urls[i]);
    }
  if (primary->len > 0)
    request->primary_image = primary->pdata[0];
  return TRUE;
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
  g_autoptr(OipPushPlan) plan = NULL;
  g_autoptr(OipCredentials) credentials = NULL;
  g_autoptr(OipOzonClient) client = NULL;
  g_autoptr(OipProductStore) store = NULL;
  g_autoptr(OipPush) push = NULL;
  g_autoptr(OipPushResult) push_result = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

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

  /* Local pictures go to the seller's storage first; their public URLs
   * take their places in the request. */
  if (!upload_local_images (cli, request, &error))
    return oip_cli_fail (error);

  /* Validation first: it needs neither the network nor the keyring. */
  plan = oip_push_plan_new (request, cli->settings.validate_urls);
  if (plan->errors->len > 0)
    {
      node = oip_push_json_validation (plan);
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
  if (!oip_push_plan_check (plan, &error))
    return oip_cli_fail (error);

  if ((store = oip_cli_load_store (cli, &error)) == NULL)
    return oip_cli_fail (error);
  if (oip_product_store_lookup (store, plan->product_id) == NULL)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, plan->product_id);

      g_set_error (&error, OIP_ERROR, OIP_ERROR_PRODUCT_NOT_FOUND,
                   _("Product ID %s not found. Download the product information first: "
                     "ozon-push product --product-id %s"),
                   id, id);
      return oip_cli_fail (error);
    }

  if ((credentials = oip_cli_get_credentials (cli, request->client_id, request->api_key, &error)) == NULL ||
      (client = oip_cli_new_client (cli, credentials, &error)) == NULL)
    return oip_cli_fail (error);

  push = oip_push_new (client, store, g_steal_pointer (&plan));
  if (g_getenv ("OZON_PUSH_POLL_INTERVAL_MS") != NULL)
    oip_push_set_poll_interval (push, atoi (g_getenv ("OZON_PUSH_POLL_INTERVAL_MS")));
  if (isatty (STDERR_FILENO))
    g_signal_connect (push, "notify::stage", G_CALLBACK (on_stage_changed), NULL);

  oip_push_run_async (push, cli->cancellable, oip_cli_on_ready, &result);
  push_result = oip_push_run_finish (push, oip_cli_wait (&result), &error);
  if (push_result == NULL)
    return oip_cli_fail (error);

  if (!oip_push_result_is_success (push_result, &error))
    {
      node = oip_push_json_error (error, push_result);
      oip_cli_print_json (node);
      g_printerr ("ozon-push: %s\n%s\n", error->message, oip_error_hint (error->code));
      return OIP_CLI_EXIT_FAILED;
    }

  node = oip_push_json_success (push_result);
  oip_cli_print_json (node);
  for (guint i = 0; i < push_result->notices->len; i++)
    {
      g_autofree char *text = oip_notice_describe (g_ptr_array_index (push_result->notices, i));

      g_printerr ("ozon-push: %s\n", text);
    }
  return OIP_CLI_EXIT_OK;
}
