/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "oip-application.h"
#include "oip-test-gui.h"
#include "oip-window.h"

/* The app started on a damaged database: the seller is told, in the
 * window, where the old file went, and can still download a product. */

static OipApplication *app;

static gboolean
has_notice (gpointer data)
{
  AdwMessageDialog *dialog = oip_test_gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

  *(AdwMessageDialog **) data = dialog;
  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

static gboolean
recent_filled (gpointer data)
{
  return g_list_model_get_n_items (oip_product_store_get_recent (oip_application_get_store (app))) > 0;
}

static void
test_damaged_database (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "ozon-image-push", NULL);
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog = NULL;
  GtkWindow *window;

  /* Not a database at all. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "This is not an SQLite database, it is damaged on purpose.\n"
                                            "Ceci n’est pas une base de données.\n", -1, NULL));

  app = oip_application_new ();
  oip_application_set_demo (app);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (OIP_IS_WINDOW (window));
  gtk_window_set_default_size (window, 800, 900);

  g_assert_true (oip_test_gui_wait_for (has_notice, &dialog));
  oip_test_gui_settle (300);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, _("Downloaded Products and History"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "demo.db.corrupt-"));
  g_assert_true (oip_database_is_persistent (oip_application_get_database (app)));
  oip_test_gui_screenshot (GTK_WIDGET (dialog), "database-notice");
  adw_message_dialog_response (dialog, "close");
  oip_test_gui_settle (200);

  /* Work goes on: a product is downloaded and remembered. */
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (window), OIP_TYPE_WINDOW, "id_row")),
                         "ART-1001");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.download", NULL));
  g_assert_true (oip_test_gui_wait_for (recent_filled, NULL));

  gtk_window_destroy (window);
  oip_test_gui_settle (100);
  g_application_quit (G_APPLICATION (app));
  g_clear_object (&app);
}

int
main (int   argc,
      char *argv[])
{
  oip_test_gui_init (&argc, &argv);

  g_test_add_func ("/database-notice/damaged-database", test_damaged_database);

  return g_test_run ();
}
