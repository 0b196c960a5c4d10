/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>

#include "oip-error.h"

/* Ozon's words and the HTTP status travel with the error through copies
 * (GTask hands errors between threads as copies). */
static void
test_ozon_details (void)
{
  g_autoptr(GError) error = g_error_new_literal (OIP_ERROR, OIP_ERROR_INVALID_API_KEY, "sentence");
  g_autoptr(GError) copy = NULL;
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "io");

  g_assert_null (oip_error_get_ozon_message (error));
  g_assert_cmpuint (oip_error_get_http_status (error), ==, 0);

  oip_error_set_ozon_details (error, 403, "Invalid Api-Key, please check the key and try again");
  copy = g_error_copy (error);
  g_clear_error (&error);
  g_assert_cmpstr (oip_error_get_ozon_message (copy), ==, "Invalid Api-Key, please check the key and try again");
  g_assert_cmpuint (oip_error_get_http_status (copy), ==, 403);
  g_assert_cmpstr (copy->message, ==, "sentence");

  g_assert_null (oip_error_get_ozon_message (other));
  g_assert_cmpuint (oip_error_get_http_status (other), ==, 0);
  g_assert_null (oip_error_get_ozon_message (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/error/ozon-details", test_ozon_details);
  return g_test_run ();
}
