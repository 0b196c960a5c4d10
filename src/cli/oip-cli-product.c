/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "oip-cli.h"
#include "oip-error.h"

/* `ozon-push product`: download one product, keep it in the local store
 * (which later pushes need) and print it. */
int
oip_cli_product (OipCli  *cli,
                 int      argc,
                 char   **argv)
{
  g_autofree char *offer_id = NULL;
  g_autofree char *product_id = NULL;
  g_autofree char *sku = NULL;
  const GOptionEntry entries[] = {
    { "offer-id", 0, 0, G_OPTION_ARG_STRING, &offer_id, N_("The seller’s article (offer_id)"), N_("ID") },
    { "product-id", 0, 0, G_OPTION_ARG_STRING, &product_id, N_("Ozon’s product_id"), N_("N") },
    { "sku", 0, 0, G_OPTION_ARG_STRING, &sku, N_("Ozon’s SKU"), N_("N") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— download a product and remember it"));
  g_autoptr(OipContext) push_context = NULL;
  g_autoptr(OipOzonClient) client = NULL;
  OipProductStore *store;
  g_autoptr(OipProduct) product = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(JsonNode) node = NULL;
  OipProductKey key;
  const char *value;
  gint64 number;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, oip_cli_common_options (cli));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!oip_cli_parse (cli, context, &argc, &argv))
    return OIP_CLI_EXIT_USAGE;

  if ((offer_id != NULL) + (product_id != NULL) + (sku != NULL) != 1 || argc > 1)
    return oip_cli_usage_error (context, _("Give exactly one of --offer-id, --product-id or --sku"));

  key = offer_id ? OIP_PRODUCT_KEY_OFFER_ID : product_id ? OIP_PRODUCT_KEY_PRODUCT_ID : OIP_PRODUCT_KEY_SKU;
  value = offer_id ? offer_id : product_id ? product_id : sku;
  if (key != OIP_PRODUCT_KEY_OFFER_ID &&
      !g_ascii_string_to_signed (value, 10, 1, G_MAXINT64, &number, NULL))
    return oip_cli_usage_error (context, _("--product-id and --sku take a positive whole number"));

  if ((push_context = oip_cli_new_context (cli, NULL, NULL, TRUE, &error)) == NULL ||
      (client = oip_cli_create_client (cli, push_context, &error)) == NULL)
    return oip_cli_fail (error);
  store = oip_context_get_store (push_context);

  oip_ozon_client_get_product_async (client, key, value, cli->cancellable, oip_cli_on_ready, &result);
  product = oip_ozon_client_get_product_finish (client, oip_cli_wait (&result), &error);
  if (product == NULL)
    return oip_cli_fail (error);

  oip_product_set_downloaded_at (product, now);
  g_clear_object (&result);
  oip_product_store_put_async (store, product, cli->cancellable, oip_cli_on_ready, &result);
  if (!oip_product_store_put_finish (store, oip_cli_wait (&result), &error))
    return oip_cli_fail (error);

  node = oip_product_to_json (product);
  oip_cli_print_json (node);
  return OIP_CLI_EXIT_OK;
}

/* `ozon-push products`: every product of the account, ids only. */
int
oip_cli_products (OipCli  *cli,
                  int      argc,
                  char   **argv)
{
  int page_size = 1000;
  const GOptionEntry entries[] = {
    { "page-size", 0, 0, G_OPTION_ARG_INT, &page_size, N_("Products per request, 1 to 1000"), N_("N") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— list the account’s products"));
  g_autoptr(OipContext) push_context = NULL;
  g_autoptr(OipOzonClient) client = NULL;
  g_autoptr(GPtrArray) products = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  JsonArray *array = json_array_new ();

  json_node_take_array (node, array);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, oip_cli_common_options (cli));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!oip_cli_parse (cli, context, &argc, &argv))
    return OIP_CLI_EXIT_USAGE;
  if (page_size < 1 || page_size > 1000 || argc > 1)
    return oip_cli_usage_error (context, _("--page-size takes 1 to 1000"));

  if ((push_context = oip_cli_new_context (cli, NULL, NULL, FALSE, &error)) == NULL ||
      (client = oip_cli_create_client (cli, push_context, &error)) == NULL)
    return oip_cli_fail (error);

  oip_ozon_client_list_products_async (client, page_size, cli->cancellable, oip_cli_on_ready, &result);
  products = oip_ozon_client_list_products_finish (client, oip_cli_wait (&result), &error);
  if (products == NULL)
    return oip_cli_fail (error);

  for (guint i = 0; i < products->len; i++)
    {
      OipProduct *product = g_ptr_array_index (products, i);
      JsonObject *object = json_object_new ();

      json_object_set_int_member (object, "product_id", oip_product_get_product_id (product));
      json_object_set_string_member (object, "offer_id", oip_product_get_offer_id (product));
      json_object_set_int_member (object, "sku", oip_product_get_sku (product));
      json_array_add_object_element (array, object);
    }
  oip_cli_print_json (node);
  return OIP_CLI_EXIT_OK;
}
