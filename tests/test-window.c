/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "oip-application.h"
#include "oip-dialogs.h"
#include "oip-test-gui.h"
#include "oip-window.h"

/* The main window as a seller meets it: the demo app, a product looked up
 * through the window's own rows and actions, its images shown. */

static OipApplication *app;

static OipWindow *
start_demo (void)
{
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  app = oip_application_new ();
  oip_application_set_demo (app);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (OIP_IS_WINDOW (window));
  gtk_window_set_default_size (window, 800, 900);
  oip_test_gui_settle (300);
  return OIP_WINDOW (window);
}

static gpointer
child (OipWindow  *window,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (window), OIP_TYPE_WINDOW, name);

  g_assert_nonnull (object);
  return object;
}

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list)); row; row = gtk_widget_get_next_sibling (row))
    n += GTK_IS_LIST_BOX_ROW (row);
  return n;
}

static gboolean
has_product (gpointer window)
{
  return oip_window_get_product (window) != NULL;
}


static void
test_download_product (void)
{
  OipWindow *window = start_demo ();
  GtkEditable *id_row = child (window, "id_row");
  GtkStack *stack = child (window, "product_stack");
  OipProduct *product;

  /* Nothing to look up yet: the action is off. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "win.download", NULL) &&
                  oip_window_get_product (window) != NULL);
  oip_test_gui_screenshot (GTK_WIDGET (window), "main-window-empty");

  gtk_editable_set_text (id_row, "ART-1001");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.download", NULL));
  g_assert_true (oip_test_gui_wait_for (has_product, window));
  oip_test_gui_settle (200);

  product = oip_window_get_product (window);
  g_assert_cmpint (oip_product_get_product_id (product), ==, 214365879);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "product");
  g_assert_cmpstr (adw_preferences_row_get_title (child (window, "product_row")), ==, "Ceramic mug 350 ml");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (child (window, "product_row")), "ART-1001"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (child (window, "product_row")), "214365879"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (child (window, "product_row")), "1733002211"));
  /* Its images on Ozon, and the list to push starting from them. */
  g_assert_nonnull (gtk_flow_box_get_child_at_index (child (window, "current_flow"), 2));
  g_assert_null (gtk_flow_box_get_child_at_index (child (window, "current_flow"), 3));
  g_assert_cmpuint (oip_image_list_get_n_images (oip_window_get_images (window)), ==, 3);
  g_assert_true (gtk_widget_is_sensitive (child (window, "upload_button")));
  /* Remembered for one-click reopening. */
  g_assert_cmpuint (count_rows (child (window, "recent_list")), ==, 1);
  g_assert_true (gtk_widget_get_visible (child (window, "recent_group")));

  oip_test_gui_screenshot (GTK_WIDGET (window), "main-window-product");
}

static void
test_unknown_product_keeps_state (void)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  GtkEditable *id_row = child (OIP_WINDOW (window), "id_row");
  GtkWidget *dialog;

  gtk_editable_set_text (id_row, "NO-SUCH-OFFER");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.download", NULL));
  dialog = oip_test_gui_wait_for_alert ();
  oip_test_gui_settle (300);

  g_assert_nonnull (strstr (oip_alert_get_heading (dialog), "NO-SUCH-OFFER"));
  oip_test_gui_screenshot_window_of (dialog, "error-dialog");

  /* The product shown before is still there, and so is what was typed. */
  g_assert_cmpstr (oip_product_get_offer_id (oip_window_get_product (OIP_WINDOW (window))), ==, "ART-1001");
  g_assert_cmpstr (gtk_editable_get_text (id_row), ==, "NO-SUCH-OFFER");
  oip_test_gui_respond (dialog, "close");
}

static void
test_translated (void)
{
  OipWindow *window = OIP_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  const char *lang = g_getenv ("LANGUAGE");
  const char *recent = adw_preferences_group_get_title (child (window, "recent_group"));
  const char *identifier = adw_preferences_row_get_title (child (window, "id_row"));

  if (lang == NULL || *lang == '\0' || g_str_has_prefix (lang, "en"))
    {
      g_assert_cmpstr (recent, ==, "Recently Downloaded");
      g_assert_cmpstr (identifier, ==, "Identifier");
      return;
    }
  /* The template's strings come from the catalogue. */
  g_assert_cmpstr (recent, !=, "Recently Downloaded");
  g_assert_cmpstr (recent, ==, _("Recently Downloaded"));
  g_assert_cmpstr (identifier, !=, "Identifier");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), !=, NULL);
}

static void
test_narrow (void)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  int minimum = 0;

  /* Phones and tiled halves: everything fits in 360 pixels. */
  gtk_widget_measure (adw_application_window_get_content (ADW_APPLICATION_WINDOW (window)),
                      GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
  gtk_window_set_default_size (window, 360, 760);
  oip_test_gui_settle (400);
  g_assert_cmpint (gtk_widget_get_width (adw_application_window_get_content (ADW_APPLICATION_WINDOW (window))), <=, 360);
  oip_test_gui_screenshot (GTK_WIDGET (window), "main-window-narrow");
  gtk_window_set_default_size (window, 800, 900);
}

static void
test_close (void)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  gtk_window_destroy (window);
  oip_test_gui_settle (100);
  g_assert_null (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_application_quit (G_APPLICATION (app));
}

int
main (int   argc,
      char *argv[])
{
  oip_test_gui_init (&argc, &argv);

  g_test_add_func ("/window/download-product", test_download_product);
  g_test_add_func ("/window/unknown-product-keeps-state", test_unknown_product_keeps_state);
  g_test_add_func ("/window/translated", test_translated);
  g_test_add_func ("/window/narrow", test_narrow);
  g_test_add_func ("/window/close", test_close);

  return g_test_run ();
}
