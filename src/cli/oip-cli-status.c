/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "oip-cli.h"
#include "oip-json.h"
#include "oip-push-json.h"

/* `ozon-push status`: the product's pictures on Ozon now, with Ozon's
 * per-URL errors. */
int
oip_cli_status (OipCli  *cli,
                int      argc,
                char   **argv)
{
  g_autofree char *product_id = NULL;
  const GOptionEntry entries[] = {
    { "product-id", 0, 0, G_OPTION_ARG_STRING, &product_id, N_("Ozon’s product_id"), N_("N") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— show a product’s pictures on Ozon"));
  g_autoptr(OipContext) push_context = NULL;
  g_autoptr(OipOzonClient) client = NULL;
  g_autoptr(OipPictures) pictures = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  gint64 id = 0;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, oip_cli_common_options (cli));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!oip_cli_parse (cli, context, &argc, &argv))
    return OIP_CLI_EXIT_USAGE;
  if (product_id == NULL || argc > 1 ||
      !g_ascii_string_to_signed (product_id, 10, 1, G_MAXINT64, &id, NULL))
    return oip_cli_usage_error (context, _("--product-id takes a positive whole number"));

  if ((push_context = oip_cli_new_context (cli, NULL, NULL, FALSE, &error)) == NULL ||
      (client = oip_cli_create_client (cli, push_context, &error)) == NULL)
    return oip_cli_fail (error);

  oip_ozon_client_get_pictures_async (client, id, cli->cancellable, oip_cli_on_ready, &result);
  pictures = oip_ozon_client_get_pictures_finish (client, oip_cli_wait (&result), &error);
  if (pictures == NULL)
    return oip_cli_fail (error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "product_id");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "images");
  json_builder_add_value (builder, oip_json_strv_node ((const char * const *) pictures->images));
  json_builder_set_member_name (builder, "color_image");
  if (pictures->color_image != NULL)
    json_builder_add_string_value (builder, pictures->color_image);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "errors");
  json_builder_add_value (builder, oip_push_json_image_errors (pictures->errors));
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  oip_cli_print_json (node);
  return OIP_CLI_EXIT_OK;
}
