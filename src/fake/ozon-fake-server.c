/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <glib-unix.h>

#include "oip-fake-ozon.h"

/* Runs the fake Ozon API with the demo's sample products, for trying the
 * command line by hand:
 *   OZON_API_URL=$(…) OZON_CLIENT_ID=demo OZON_API_KEY=demo-key ozon-push … */
static gboolean
on_signal (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OipFakeOzon) fake = oip_fake_ozon_new ("demo", "demo-key");
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  if (!oip_fake_ozon_start (fake, &error))
    {
      g_printerr ("ozon-fake-server: %s\n", error->message);
      return 1;
    }
  oip_fake_ozon_add_sample_products (fake);

  g_print ("%s\n", oip_fake_ozon_get_base_url (fake));
  g_printerr ("Client-Id: demo  Api-Key: demo-key  (Ctrl+C stops)\n");
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);
  return 0;
}
