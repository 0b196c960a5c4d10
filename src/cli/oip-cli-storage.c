/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <unistd.h>
#include <gio/gunixinputstream.h>
#include <glib/gi18n-lib.h>

#include "oip-cli.h"
#include "oip-error.h"
#include "oip-s3-client.h"
#include "oip-upload-batch.h"

/* `ozon-push upload` and `ozon-push storage`: the seller's S3-compatible
 * storage, where local pictures go so that Ozon can fetch them. */

static OipS3Client *
new_s3_client (OipCli  *cli,
               GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(OipStorageConfig) config = NULL;
  OipS3Client *client;

  oip_storage_config_load_async (cli->cancellable, oip_cli_on_ready, &result);
  config = oip_storage_config_load_finish (oip_cli_wait (&result), error);
  if (config == NULL)
    return NULL;
  client = oip_s3_client_new (config, error);
  if (client != NULL)
    {
      oip_s3_client_set_max_retries (client, cli->settings.max_retries);
      oip_s3_client_set_timeout (client, cli->settings.timeout);
    }
  return client;
}

static void
on_file_done (OipUploadBatch *batch,
              guint           index,
              gpointer        user_data)
{
  g_printerr (_("Uploaded %u of %u images\n"), oip_upload_batch_get_n_done (batch),
              oip_upload_batch_get_n_files (batch));
}

/**
 * oip_cli_upload_files:
 * @files: (element-type GFile): local pictures
 *
 * Checks and uploads @files, printing progress on a terminal.
 *
 * Returns: (transfer full): their public URLs in order, or %NULL
 */
GStrv
oip_cli_upload_files (OipCli     *cli,
                      GPtrArray  *files,
                      GError    **error)
{
  g_autoptr(OipS3Client) client = new_s3_client (cli, error);
  g_autoptr(OipUploadBatch) batch = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GStrv urls;

  if (client == NULL)
    return NULL;

  batch = oip_upload_batch_new (client, files, OIP_UPLOAD_BATCH_PARALLEL);
  if (isatty (STDERR_FILENO))
    g_signal_connect (batch, "file-done", G_CALLBACK (on_file_done), NULL);
  oip_upload_batch_run_async (batch, cli->cancellable, oip_cli_on_ready, &result);
  urls = oip_upload_batch_run_finish (batch, oip_cli_wait (&result), error);

  for (guint i = 0; urls != NULL && i < oip_upload_batch_get_warnings (batch)->len; i++)
    g_printerr ("ozon-push: %s\n", (const char *) g_ptr_array_index (oip_upload_batch_get_warnings (batch), i));
  return urls;
}

/**
 * oip_cli_is_local_image:
 *
 * A file is named explicitly, as a path from `/`, `./`, `../` or `~/`, or
 * as a `file://` URI; anything else is taken as a (maybe malformed) web
 * address and validated as one.
 *
 * Returns: whether @text names a local file rather than a web address
 */
gboolean
oip_cli_is_local_image (const char *text)
{
  return g_str_has_prefix (text, "file://") || g_str_has_prefix (text, "/") ||
         g_str_has_prefix (text, "./") || g_str_has_prefix (text, "../") || g_str_has_prefix (text, "~/");
}

int
oip_cli_upload (OipCli  *cli,
                int      argc,
                char   **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE… — upload pictures to your storage and print their public URLs"));
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) urls = NULL;

  g_option_context_add_group (context, oip_cli_common_options (cli));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!oip_cli_parse (cli, context, &argc, &argv))
    return OIP_CLI_EXIT_USAGE;
  if (argc < 2)
    return oip_cli_usage_error (context, _("Name at least one picture file"));

  for (int i = 1; i < argc; i++)
    g_ptr_array_add (files, g_file_new_for_commandline_arg (argv[i]));

  urls = oip_cli_upload_files (cli, files, &error);
  if (urls == NULL)
    return oip_cli_fail (error);
  for (guint i = 0; urls[i] != NULL; i++)
    g_print ("%s\n", urls[i]);
  return OIP_CLI_EXIT_OK;
}

static char *
read_secret (OipCli  *cli,
             GError **error)
{
  g_autoptr(GInputStream) stdin_stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GDataInputStream) input = g_data_input_stream_new (stdin_stream);

  return oip_cli_read_line (cli, input, _("Secret access key: "), TRUE, error);
}

static int
storage_set (OipCli  *cli,
             int      argc,
             char   **argv)
{
  g_autoptr(OipStorageConfig) config = oip_storage_config_new ();
  const GOptionEntry entries[] = {
    { "endpoint", 0, 0, G_OPTION_ARG_STRING, &config->endpoint, N_("The S3 API address (https://ACCOUNT.r2.cloudflarestorage.com)"), N_("URL") },
    { "region", 0, 0, G_OPTION_ARG_STRING, &config->region, N_("The signing region (auto for R2)"), N_("REGION") },
    { "bucket", 0, 0, G_OPTION_ARG_STRING, &config->bucket, N_("The bucket"), N_("NAME") },
    { "public-url", 0, 0, G_OPTION_ARG_STRING, &config->public_url, N_("Where the bucket's objects are served publicly"), N_("URL") },
    { "prefix", 0, 0, G_OPTION_ARG_STRING, &config->prefix, N_("Put before every object name"), N_("PREFIX") },
    { "access-key-id", 0, 0, G_OPTION_ARG_STRING, &config->access_key_id, N_("The access key ID"), N_("ID") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— save the storage settings; the secret access key is read from standard input"));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();

  json_node_take_object (node, object);
  /* GOption overwrites string fields without freeing them: start empty. */
  g_clear_pointer (&config->region, g_free);
  g_clear_pointer (&config->prefix, g_free);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!oip_cli_parse (cli, context, &argc, &argv))
    return OIP_CLI_EXIT_USAGE;
  if (argc > 1)
    return oip_cli_usage_error (context, _("The secret is read from standard input, not from arguments"));
  if (config->region == NULL)
    config->region = g_strdup ("auto");
  if (config->prefix == NULL)
    config->prefix = g_strdup ("");

  config->secret_access_key = read_secret (cli, &error);
  if (config->secret_access_key == NULL && error != NULL)
    return oip_cli_fail (error);
  if (!oip_storage_config_check (config, &error))
    return oip_cli_fail (error);

  oip_storage_config_store_secret_async (config, cli->cancellable, oip_cli_on_ready, &result);
  if (!oip_storage_config_store_secret_finish (oip_cli_wait (&result), &error) ||
      !oip_storage_config_save_settings (config, &error))
    return oip_cli_fail (error);
  /* The process ends next: the settings must reach dconf first. */
  g_settings_sync ();

  json_object_set_boolean_member (object, "success", TRUE);
  json_object_set_string_member (object, "endpoint", config->endpoint);
  json_object_set_string_member (object, "bucket", config->bucket);
  json_object_set_string_member (object, "public_url", config->public_url);
  json_object_set_string_member (object, "access_key_id", config->access_key_id);
  oip_cli_print_json (node);
  return OIP_CLI_EXIT_OK;
}

static int
storage_test (OipCli  *cli,
              int      argc,
              char   **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— write, read back publicly and delete a small test object"));
  g_autoptr(OipS3Client) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();

  json_node_take_object (node, object);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!oip_cli_parse (cli, context, &argc, &argv))
    return OIP_CLI_EXIT_USAGE;
  if ((client = new_s3_client (cli, &error)) == NULL)
    return oip_cli_fail (error);

  oip_s3_client_test_async (client, cli->cancellable, oip_cli_on_ready, &result);
  if (!oip_s3_client_test_finish (client, oip_cli_wait (&result), &error))
    return oip_cli_fail (error);
  json_object_set_boolean_member (object, "success", TRUE);
  oip_cli_print_json (node);
  return OIP_CLI_EXIT_OK;
}

int
oip_cli_storage (OipCli  *cli,
                 int      argc,
                 char   **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "set"))
    return storage_set (cli, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "test"))
    return storage_test (cli, argc - 1, argv + 1);

  g_printerr ("%s\n  ozon-push storage set --endpoint URL [--region R] --bucket B --public-url URL "
              "[--prefix P] --access-key-id ID\n  ozon-push storage test\n", _("Usage:"));
  return OIP_CLI_EXIT_USAGE;
}
