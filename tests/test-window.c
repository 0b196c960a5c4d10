/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "oip-application.h"
#include "oip-dialogs.h"
#include "oip-draft.h"
#include "oip-image-tile.h"
#include "oip-status-block.h"
#include "oip-test-gui.h"
#include "oip-window.h"

/* The main window as a seller meets it: the demo app, a product looked up
 * through the window's own rows and actions, its images edited by keyboard
 * and mouse, at 360 pixels and full width. */

static OipApplication *app;

static OipWindow *
active_window (void)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (OIP_IS_WINDOW (window));
  return OIP_WINDOW (window);
}

static OipWindow *
new_window (void)
{
  OipWindow *window;

  g_application_activate (G_APPLICATION (app));
  window = active_window ();
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 900);
  oip_test_gui_settle (300);
  return window;
}

static gpointer
child (OipWindow  *window,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (window), OIP_TYPE_WINDOW, name);

  g_assert_nonnull (object);
  return object;
}

static gboolean
has_product (gpointer window)
{
  return oip_window_get_product (window) != NULL;
}

static gboolean
has_offer (gpointer offer_id)
{
  OipProduct *product = oip_window_get_product (active_window ());

  return product != NULL && g_str_equal (oip_product_get_offer_id (product), offer_id);
}

static void
download (OipWindow  *window,
          const char *offer_id)
{
  adw_combo_row_set_selected (child (window, "key_row"), 0);
  gtk_editable_set_text (child (window, "id_row"), offer_id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.download", NULL));
  g_assert_true (oip_test_gui_wait_for (has_offer, (gpointer) offer_id));
  oip_test_gui_settle (100);
}

static gboolean
narrow_enough (gpointer content)
{
  return gtk_widget_get_width (content) <= 360;
}

/* Phones and tiled halves: the window takes 360 pixels in every state. */
static void
assert_fits_360 (OipWindow  *window,
                 const char *state)
{
  GtkWidget *content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  g_autofree char *name = g_strdup_printf ("main-window-360-%s", state);
  int window_min = 0;
  int content_min = 0;

  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  oip_test_gui_settle (300);
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &window_min, NULL, NULL, NULL);
  gtk_widget_measure (content, GTK_ORIENTATION_HORIZONTAL, -1, &content_min, NULL, NULL, NULL);
  if (content_min > 360 || window_min > 360)
    {
      g_test_message ("%s: the window needs %d px, its content %d px", state, window_min, content_min);
      oip_test_gui_explain_width (content, 360 - (window_min - content_min));
    }
  g_assert_cmpint (content_min, <=, 360);
  g_assert_cmpint (window_min, <=, 360);
  /* The X server resizes when it gets to it: on a loaded machine, later
   * than any fixed wait. */
  g_assert_true (oip_test_gui_wait_for (narrow_enough, content));
  oip_test_gui_screenshot (GTK_WIDGET (window), name);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 900);
  oip_test_gui_settle (200);
}

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list)); row; row = gtk_widget_get_next_sibling (row))
    n += GTK_IS_LIST_BOX_ROW (row);
  return n;
}

static guint
count_children (GtkFlowBox *flow)
{
  guint n = 0;

  while (gtk_flow_box_get_child_at_index (flow, n) != NULL)
    n++;
  return n;
}

static gboolean
not_busy (gpointer window)
{
  return !gtk_widget_get_visible (child (window, "busy_box"));
}

static gboolean
has_focus_within (GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static void
test_empty (void)
{
  OipWindow *window = new_window ();
  OipStatusBlock *status = child (window, "empty_status");

  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (window, "product_stack")), ==, "empty");
  g_assert_cmpstr (oip_status_block_get_title (status), ==, _("No Product Yet"));
  oip_test_gui_assert_not_squashed (GTK_WIDGET (status));

  /* The keyboard starts on the identifier, not on a menu button. */
  g_assert_true (has_focus_within (child (window, "id_row")));

  /* Nothing to look up or push yet, and Upload says why. */
  g_assert_false (gtk_widget_is_sensitive (child (window, "upload_button")));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (child (window, "upload_button")), ==,
                   _("Download a product first: its images are what you push."));

  /* Named for screen readers as shown: “Upload”, not “_Upload”. */
  {
    g_autofree char *label = g_strdup (gtk_label_get_text (GTK_LABEL (gtk_button_get_child (child (window, "upload_button")))));
    g_autofree char *wrong = gtk_test_accessible_check_property (child (window, "upload_button"),
                                                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label);

    g_assert_null (strchr (label, '_'));
    g_assert_null (wrong);
  }

  oip_test_gui_screenshot (GTK_WIDGET (window), "main-window-empty");
  assert_fits_360 (window, "empty");
}

static void
test_download_product (void)
{
  OipWindow *window = active_window ();
  OipFakeOzon *fake = oip_application_get_demo_server (app);
  GtkEditable *id_row = child (window, "id_row");
  OipProduct *product;
  gint64 start;

  /* A slow answer: the window says what it is doing, and Cancel works. */
  oip_fake_ozon_set_slow_delay (fake, 8000);
  oip_fake_ozon_inject (fake, "/v3/product/info/list", OIP_FAKE_FAULT_SLOW, 1);
  gtk_editable_set_text (id_row, "ART-1001");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.download", NULL));
  oip_test_gui_settle (100);
  g_assert_true (gtk_widget_get_visible (child (window, "busy_box")));
  g_assert_cmpstr (gtk_label_get_text (child (window, "busy_label")), ==, _("Downloading product info…"));
  assert_fits_360 (window, "downloading");
  start = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-download", NULL));
  g_assert_true (oip_test_gui_wait_for (not_busy, window));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_assert_null (oip_window_get_product (window));
  g_assert_null (oip_test_gui_find_alert ());

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.download", NULL));
  g_assert_true (oip_test_gui_wait_for (has_product, window));
  oip_test_gui_settle (200);

  product = oip_window_get_product (window);
  g_assert_cmpint (oip_product_get_product_id (product), ==, 214365879);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (window, "product_stack")), ==, "product");
  g_assert_cmpstr (adw_preferences_row_get_title (child (window, "product_row")), ==, "Ceramic mug 350 ml");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (child (window, "product_row")), "ART-1001"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (child (window, "product_row")), "214365879"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (child (window, "product_row")), "1733002211"));
  /* Its images on Ozon, and the list to push starting from them. */
  g_assert_nonnull (gtk_flow_box_get_child_at_index (child (window, "current_flow"), 2));
  g_assert_null (gtk_flow_box_get_child_at_index (child (window, "current_flow"), 3));
  g_assert_cmpuint (oip_image_list_get_n_images (oip_window_get_images (window)), ==, 3);
  g_assert_true (gtk_widget_is_sensitive (child (window, "upload_button")));
  /* The images on Ozon are to look at: no Tab stop on each. */
  g_assert_false (gtk_widget_get_can_focus (child (window, "current_flow")));
  /* Remembered for one-click reopening. */
  g_assert_cmpuint (count_rows (child (window, "recent_list")), ==, 1);
  g_assert_true (gtk_widget_get_visible (child (window, "recent_group")));

  oip_test_gui_screenshot (GTK_WIDGET (window), "main-window-product");
  assert_fits_360 (window, "product");
}

static void
test_lookup_errors_inline (void)
{
  OipWindow *window = active_window ();
  GtkEditable *id_row = child (window, "id_row");
  GtkLabel *error = child (window, "lookup_error");
  g_autofree char *expected = NULL;

  /* Not found: said under the lookup, with the field that was searched,
   * not in a dialog. */
  gtk_editable_set_text (id_row, "NO-SUCH-OFFER");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.download", NULL));
  g_assert_true (oip_test_gui_wait_for (not_busy, window));
  oip_test_gui_settle (200);
  g_assert_null (oip_test_gui_find_alert ());
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error)));
  expected = g_strdup_printf (_("No product with offer ID “%s” on Ozon."), "NO-SUCH-OFFER");
  g_assert_cmpstr (gtk_label_get_text (error), ==, expected);
  /* The product shown before is still there, and so is what was typed. */
  g_assert_cmpstr (oip_product_get_offer_id (oip_window_get_product (window)), ==, "ART-1001");
  g_assert_cmpstr (gtk_editable_get_text (id_row), ==, "NO-SUCH-OFFER");
  oip_test_gui_screenshot (GTK_WIDGET (window), "main-window-not-found");
  assert_fits_360 (window, "not-found");

  /* Letters in the SKU field: said at the field, as it is typed; nothing
   * about request files. */
  adw_combo_row_set_selected (child (window, "key_row"), 2);
  gtk_editable_set_text (id_row, "ART-1001");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error)));
  g_assert_nonnull (strstr (gtk_label_get_text (error), "1733002211"));
  g_assert_null (strstr (gtk_label_get_text (error), "request"));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "win.download", NULL) &&
                  gtk_widget_get_visible (child (window, "busy_box")));
  gtk_editable_set_text (id_row, "1733002211");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error)));
  adw_combo_row_set_selected (child (window, "key_row"), 0);
  gtk_editable_set_text (id_row, "ART-1001");
}

static void
test_status_not_squashed (void)
{
  OipWindow *window;
  GtkWidget *status;

  /* A new window with recently downloaded products under the empty state. */
  gtk_window_destroy (GTK_WINDOW (active_window ()));
  oip_test_gui_settle (100);
  window = new_window ();
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 500);
  oip_test_gui_settle (300);
  status = child (window, "empty_status");
  g_assert_cmpuint (count_rows (child (window, "recent_list")), >=, 1);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (window, "product_stack")), ==, "empty");
  oip_test_gui_assert_not_squashed (status);
  oip_test_gui_screenshot (GTK_WIDGET (window), "main-window-recent");
  assert_fits_360 (window, "recent");
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  oip_test_gui_settle (300);
  oip_test_gui_assert_not_squashed (status);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 900);
  download (window, "ART-1001");
}

/* The keyboard on the images to push, as a seller with a screen reader
 * uses it. */

static GtkFlowBoxChild *
focused_child (OipWindow *window)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  while (focus != NULL && !GTK_IS_FLOW_BOX_CHILD (focus))
    focus = gtk_widget_get_parent (focus);
  return focus ? GTK_FLOW_BOX_CHILD (focus) : NULL;
}

static OipImageItem *
focused_item (OipWindow *window)
{
  GtkFlowBoxChild *focus = focused_child (window);

  g_assert_nonnull (focus);
  return oip_image_tile_get_item (OIP_IMAGE_TILE (gtk_flow_box_child_get_child (focus)));
}

static const char *
focused_url (OipWindow *window)
{
  return oip_image_item_get_url (focused_item (window));
}

/* A key as GTK delivers it: first the capture-phase key controllers of the
 * flow box (the window's), then the flow box's own key binding for the
 * arrows; the window's image keys are shortcuts that activate the
 * win.image-* actions on the focused tile. */
static void
press (OipWindow  *window,
       const char *key)
{
  const struct { const char *key; const char *action; } keys[] = {
    { "<Alt>Left", "win.image-earlier" },
    { "<Alt>Right", "win.image-later" },
    { "<Control>k", "win.image-color" },
    { "<Control>m", "win.image-main" },
    { "Delete", "win.image-remove" },
  };

  if (g_str_equal (key, "Left") || g_str_equal (key, "Right"))
    {
      guint keyval = g_str_equal (key, "Left") ? GDK_KEY_Left : GDK_KEY_Right;
      GtkWidget *flow = gtk_widget_get_ancestor (GTK_WIDGET (focused_child (window)), GTK_TYPE_FLOW_BOX);
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (flow);
      gboolean handled = FALSE;

      for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
        {
          g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

          if (GTK_IS_EVENT_CONTROLLER_KEY (controller) &&
              gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
            g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
        }
      if (!handled)
        g_signal_emit_by_name (flow, "move-cursor", GTK_MOVEMENT_VISUAL_POSITIONS,
                               keyval == GDK_KEY_Left ? -1 : 1, FALSE, FALSE, &handled);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (g_str_equal (key, keys[i].key))
      {
        g_autofree char *url = g_strdup (focused_url (window));

        /* What the window's shortcut for the key does. */
        gtk_widget_activate_action (GTK_WIDGET (window), keys[i].action, "s", url);
        return;
      }
  g_assert_not_reached ();
}

/* What a screen reader asks after every key: what has the focus, where is
 * it among its siblings. */
static void
query_focus_like_a_screen_reader (OipWindow *window)
{
  GtkFlowBoxChild *focus = focused_child (window);
  GtkFlowBox *flow;
  int index;

  g_assert_nonnull (focus);
  flow = GTK_FLOW_BOX (gtk_widget_get_parent (GTK_WIDGET (focus)));
  index = gtk_flow_box_child_get_index (focus);
  g_assert_cmpint (index, >=, 0);
  g_assert_true (gtk_flow_box_get_child_at_index (flow, index) == focus);
  for (GtkWidget *sibling = gtk_widget_get_first_child (GTK_WIDGET (flow));
       sibling != NULL;
       sibling = gtk_widget_get_next_sibling (sibling))
    if (GTK_IS_FLOW_BOX_CHILD (sibling))
      g_assert_cmpint (gtk_flow_box_child_get_index (GTK_FLOW_BOX_CHILD (sibling)), >=, 0);
}

static void
add_images (OipWindow *window,
            guint      n)
{
  OipImageList *images = oip_window_get_images (window);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *url = oip_fake_ozon_image_url (oip_application_get_demo_server (app), "extra");
      g_autofree char *numbered = g_strdup_printf ("%s?n=%u", url, i);

      oip_image_list_add_text (images, numbered, NULL);
    }
  oip_test_gui_settle (100);
}

static void
focus_tile (OipWindow *window,
            guint      index)
{
  GtkFlowBox *flow = child (window, "push_flow");

  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (flow), GTK_DIR_TAB_FORWARD));
  for (guint i = 0; i < index; i++)
    press (window, "Right");
  g_assert_cmpint (gtk_flow_box_child_get_index (focused_child (window)), ==, index);
}

static const char *
url_at (OipWindow *window,
        guint      position)
{
  g_autoptr(OipImageItem) item = g_list_model_get_item (oip_image_list_get_model (oip_window_get_images (window)), position);

  return item ? oip_image_item_get_url (item) : NULL;
}

static void
press_toast_button (OipWindow *window)
{
  AdwToast *toast = oip_window_get_toast (window);

  g_assert_nonnull (toast);
  g_assert_nonnull (adw_toast_get_button_label (toast));
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (window), adw_toast_get_action_name (toast),
                                                     adw_toast_get_action_target_value (toast)));
}

static void
test_delete_keeps_focus (void)
{
  OipWindow *window = active_window ();
  OipImageList *images = oip_window_get_images (window);
  g_autofree char *main_url = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *last = NULL;
  guint n;

  oip_image_list_reset (images, oip_window_get_product (window));
  add_images (window, 3);
  n = oip_image_list_get_n_images (images);
  main_url = g_strdup (url_at (window, 0));
  second = g_strdup (url_at (window, 1));
  third = g_strdup (url_at (window, 2));

  /* Delete on the second tile: the keyboard goes to the next one, visibly. */
  focus_tile (window, 1);
  gtk_window_set_focus_visible (GTK_WINDOW (window), FALSE);
  press (window, "Delete");
  g_assert_cmpstr (focused_url (window), ==, third);
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (focused_child (window))));
  /* A second Delete takes that one, never the main image. */
  press (window, "Delete");
  g_assert_cmpstr (url_at (window, 0), ==, main_url);
  g_assert_true (oip_image_item_get_is_main (focused_item (window)) == FALSE);
  g_assert_cmpuint (oip_image_list_get_n_images (images), ==, n - 2);
  oip_test_gui_screenshot (GTK_WIDGET (window), "main-window-removed");

  /* Undo, from the toast: back in its place. */
  press_toast_button (window);
  g_assert_cmpstr (url_at (window, 1), ==, third);

  /* At the end, the keyboard goes to the one before. */
  last = g_strdup (url_at (window, oip_image_list_get_n_images (images) - 1));
  gtk_widget_grab_focus (GTK_WIDGET (child (window, "id_row")));
  focus_tile (window, oip_image_list_get_n_images (images) - 1);
  g_assert_cmpstr (focused_url (window), ==, last);
  press (window, "Delete");
  g_assert_cmpstr (focused_url (window), ==, url_at (window, oip_image_list_get_n_images (images) - 1));

  /* The main image removed and restored: main again. */
  gtk_widget_grab_focus (GTK_WIDGET (child (window, "id_row")));
  focus_tile (window, 0);
  press (window, "Delete");
  g_assert_cmpstr (url_at (window, 0), !=, main_url);
  press_toast_button (window);
  g_assert_cmpstr (url_at (window, 0), ==, main_url);
  {
    g_autoptr(OipImageItem) item = g_list_model_get_item (oip_image_list_get_model (images), 0);

    g_assert_true (oip_image_item_get_is_main (item));
  }
  (void) second;
}

static void
test_keyboard_reordering (void)
{
  OipWindow *window = active_window ();
  OipImageList *images = oip_window_get_images (window);
  const char *sequence[] = { "<Alt>Left", "<Alt>Right", "<Control>k", "Left", "<Control>m", "Right",
                             "<Alt>Right", "Right", "<Control>k", "<Alt>Left", "Left", "<Control>m" };
  guint n;

  oip_image_list_reset (images, oip_window_get_product (window));
  add_images (window, 6);
  n = g_list_model_get_n_items (oip_image_list_get_model (images));

  /* Tab into the images, as the keyboard gets there. */
  gtk_widget_grab_focus (GTK_WIDGET (child (window, "id_row")));
  focus_tile (window, 2);

  for (guint round = 0; round < 40; round++)
    for (guint i = 0; i < G_N_ELEMENTS (sequence); i++)
      {
        press (window, sequence[i]);
        query_focus_like_a_screen_reader (window);
        if (i % 4 == 0)
          g_main_context_iteration (NULL, FALSE);
      }

  /* Nothing lost, nothing doubled, one main and at most one color image. */
  g_assert_cmpuint (g_list_model_get_n_items (oip_image_list_get_model (images)), ==, n);
  g_assert_cmpuint (oip_image_list_get_n_images (images) + (oip_image_list_get_color (images) != NULL), ==, n);
}

static void
test_color_apart (void)
{
  OipWindow *window = active_window ();
  OipImageList *images = oip_window_get_images (window);
  GtkFlowBox *push_flow = child (window, "push_flow");
  GtkFlowBox *color_flow = child (window, "color_flow");
  g_autofree char *url = NULL;
  GtkFlowBoxChild *color_child;
  GActionGroup *tile_actions;

  oip_image_list_reset (images, oip_window_get_product (window));
  oip_image_list_add_text (images, "not-an-address", NULL);
  oip_test_gui_settle (100);
  g_assert_cmpuint (count_children (color_flow), ==, 0);

  /* Ctrl+K on the second tile: it leaves the numbered grid for the color slot. */
  gtk_widget_grab_focus (GTK_WIDGET (child (window, "id_row")));
  focus_tile (window, 1);
  url = g_strdup (focused_url (window));
  press (window, "<Control>k");
  g_assert_cmpuint (count_children (color_flow), ==, 1);
  g_assert_cmpuint (count_children (push_flow), ==, oip_image_list_get_n_images (images));
  color_child = gtk_flow_box_get_child_at_index (color_flow, 0);
  g_assert_cmpstr (oip_image_item_get_url (oip_image_tile_get_item (OIP_IMAGE_TILE (gtk_flow_box_child_get_child (color_child)))), ==, url);
  g_assert_cmpuint (oip_image_item_get_number (oip_image_tile_get_item (OIP_IMAGE_TILE (gtk_flow_box_child_get_child (color_child)))), ==, 0);
  /* The keyboard went with it. */
  g_assert_true (focused_child (window) == color_child);

  /* Ctrl+M on the color image is refused, and says so. */
  press (window, "<Control>m");
  g_assert_true (oip_image_item_get_is_color (oip_image_list_get_color (images)));
  g_assert_cmpstr (oip_image_item_get_url (oip_image_list_get_color (images)), ==, url);
  g_assert_nonnull (oip_window_get_toast (window));
  g_assert_cmpstr (adw_toast_get_title (oip_window_get_toast (window)), ==,
                   _("The color image cannot be the main image. Make it an ordinary image first (Ctrl+K), then make it the main one."));

  /* Its menu does not offer it; an invalid address's menu offers neither role. */
  tile_actions = oip_image_tile_get_actions (OIP_IMAGE_TILE (gtk_flow_box_child_get_child (color_child)));
  g_assert_false (g_action_group_get_action_enabled (tile_actions, "main"));
  g_assert_true (g_action_group_get_action_enabled (tile_actions, "color"));
  tile_actions = oip_image_tile_get_actions (OIP_IMAGE_TILE (gtk_flow_box_child_get_child (gtk_flow_box_get_child_at_index (push_flow, count_children (push_flow) - 1))));
  g_assert_false (g_action_group_get_action_enabled (tile_actions, "main"));
  g_assert_false (g_action_group_get_action_enabled (tile_actions, "color"));
  g_assert_false (g_action_group_get_action_enabled (tile_actions, "later"));
  g_assert_true (g_action_group_get_action_enabled (tile_actions, "remove"));

  /* An ordinary menu (not a dark OSD one) that shows each action's key. */
  {
    GtkWidget *tile = gtk_flow_box_child_get_child (gtk_flow_box_get_child_at_index (push_flow, 0));
    GtkMenuButton *button = GTK_MENU_BUTTON (gtk_widget_get_template_child (tile, OIP_TYPE_IMAGE_TILE, "menu_button"));
    GMenuModel *menu = gtk_menu_button_get_menu_model (button);
    GMenuModel *roles = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);
    g_autofree char *accel = NULL;

    g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (button), "osd"));
    g_assert_true (g_menu_model_get_item_attribute (roles, 0, "accel", "s", &accel));
    g_assert_cmpstr (accel, ==, "<Control>m");
    g_object_unref (roles);
  }

  g_assert_true (oip_test_gui_wait_for ((gboolean (*) (gpointer)) oip_test_gui_tiles_loaded, push_flow));
  oip_test_gui_settle (200);
  oip_test_gui_screenshot (GTK_WIDGET (window), "main-window-color");
  assert_fits_360 (window, "color");

  /* Removed and undone: the color image again. */
  press (window, "Delete");
  g_assert_null (oip_image_list_get_color (images));
  press_toast_button (window);
  g_assert_cmpstr (oip_image_item_get_url (oip_image_list_get_color (images)), ==, url);
}

static void
test_add_text (void)
{
  OipWindow *window = active_window ();
  OipImageList *images = oip_window_get_images (window);
  GtkEditable *add_row = child (window, "add_row");
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "My Photos", NULL);
  g_autofree char *path = g_build_filename (dir, "summer mug.jpg", NULL);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  /* Landscape: it must not widen its tile. */
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 900, 300);
  g_autoptr(GError) error = NULL;
  GtkFlowBox *flow = child (window, "push_flow");
  OipImageTile *tile;
  guint n;

  oip_image_list_reset (images, oip_window_get_product (window));
  n = oip_image_list_get_n_images (images);

  /* Words that are not addresses are one entry, shown as one problem. */
  gtk_editable_set_text (add_row, "not a url");
  g_signal_emit_by_name (add_row, "apply");
  g_assert_cmpuint (oip_image_list_get_n_images (images), ==, n + 1);
  g_assert_cmpstr (url_at (window, n), ==, "not a url");

  /* A pasted path is a picture from this computer, named on its tile. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  gdk_pixbuf_fill (pixbuf, 0x884422ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "jpeg", &error, NULL));
  gtk_editable_set_text (add_row, path);
  g_signal_emit_by_name (add_row, "apply");
  g_assert_cmpuint (oip_image_list_get_n_images (images), ==, n + 2);
  g_assert_cmpstr (url_at (window, n + 1), ==, uri);
  tile = OIP_IMAGE_TILE (gtk_flow_box_child_get_child (gtk_flow_box_get_child_at_index (flow, n + 1)));
  g_assert_true (oip_image_item_is_local (oip_image_tile_get_item (tile)));
  g_assert_true (oip_test_gui_wait_for ((gboolean (*) (gpointer)) oip_test_gui_tiles_loaded, flow));
  g_assert_cmpstr (oip_image_tile_get_caption (tile), ==, "summer mug.jpg");

  /* file:// as pasted from a file manager: the same tile, not a second one. */
  gtk_editable_set_text (add_row, uri);
  g_signal_emit_by_name (add_row, "apply");
  g_assert_cmpuint (oip_image_list_get_n_images (images), ==, n + 2);

  /* Every tile is as wide as the others, whatever the picture's shape. */
  {
    GtkWidget *first = gtk_flow_box_child_get_child (gtk_flow_box_get_child_at_index (flow, 0));
    int a = 0, b = 0;

    gtk_widget_measure (first, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &a, NULL, NULL);
    gtk_widget_measure (GTK_WIDGET (tile), GTK_ORIENTATION_HORIZONTAL, -1, NULL, &b, NULL, NULL);
    g_assert_cmpint (a, ==, b);
  }
  oip_test_gui_settle (200);
  oip_test_gui_screenshot (GTK_WIDGET (window), "main-window-added");
}

static gboolean
toast_says (gpointer text)
{
  AdwToast *toast = oip_window_get_toast (active_window ());

  return toast != NULL && g_str_equal (adw_toast_get_title (toast), text);
}

static void
test_unpushed_changes_asked (void)
{
  OipWindow *window = active_window ();
  OipImageList *images = oip_window_get_images (window);
  g_auto(GStrv) edited = NULL;
  GtkWidget *alert;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GListModel *model = oip_image_list_get_model (images);

  oip_image_list_reset (images, oip_window_get_product (window));
  g_assert_false (oip_window_has_unpushed_changes (window));
  add_images (window, 2);
  oip_image_list_move (images, 3, 0);
  g_assert_true (oip_window_has_unpushed_changes (window));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_strv_builder_add (builder, url_at (window, i));
  edited = g_strv_builder_end (builder);

  /* Reset asks: cancelled, nothing changes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reset-images", NULL));
  alert = oip_test_gui_wait_for_alert ();
  oip_test_gui_settle (300);
  oip_test_gui_screenshot_window_of (alert, "unpushed-reset");
  oip_test_gui_respond (alert, "cancel");
  g_assert_true (oip_window_has_unpushed_changes (window));

  /* Another product asks: kept as a draft. */
  download (window, "ART-1001");  /* the same product: nothing to ask */
  gtk_editable_set_text (child (window, "id_row"), "ART-1002");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.download", NULL));
  alert = oip_test_gui_wait_for_alert ();
  g_assert_true (oip_alert_has_response (alert, "keep"));
  g_assert_true (oip_alert_has_response (alert, "discard"));
  oip_test_gui_settle (300);
  oip_test_gui_screenshot_window_of (alert, "unpushed-switch");
  oip_test_gui_respond (alert, "keep");
  g_assert_true (oip_test_gui_wait_for (has_offer, "ART-1002"));

  /* Back on the first product: the edits are restored, and it says so. */
  download (window, "ART-1001");
  g_assert_true (oip_test_gui_wait_for (toast_says, (gpointer) _("Unsaved changes restored")));
  for (guint i = 0; edited[i] != NULL; i++)
    g_assert_cmpstr (url_at (window, i), ==, edited[i]);

  /* Quitting asks too; cancelled, the window stays. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  alert = oip_test_gui_wait_for_alert ();
  oip_test_gui_respond (alert, "cancel");
  oip_test_gui_settle (100);
  g_assert_true (active_window () == window);

  /* Reset, discarded: back to Ozon's images, and the draft is gone. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reset-images", NULL));
  alert = oip_test_gui_wait_for_alert ();
  oip_test_gui_respond (alert, "discard");
  g_assert_false (oip_window_has_unpushed_changes (window));
}

static gboolean
draft_on_disk (gpointer file)
{
  return g_file_query_exists (file, NULL) &&
         oip_draft_store_is_idle (oip_application_get_drafts (app));
}

static void
test_draft_survives_a_crash (void)
{
  OipWindow *window = active_window ();
  OipImageList *images = oip_window_get_images (window);
  gint64 product_id = oip_product_get_product_id (oip_window_get_product (window));
  g_autoptr(GFile) file = oip_draft_store_get_file (oip_application_get_drafts (app), product_id);
  g_autofree char *moved = NULL;
  g_autofree char *contents = NULL;

  oip_image_list_reset (images, oip_window_get_product (window));
  add_images (window, 1);
  moved = g_strdup (url_at (window, 0));
  oip_image_list_set_color (images, 0, TRUE);

  /* Written by itself, soon after the edit, with the roles. */
  g_assert_true (oip_test_gui_wait_for (draft_on_disk, file));
  g_assert_true (g_file_load_contents (file, NULL, &contents, NULL, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\"role\" : \"color\""));
  g_assert_nonnull (strstr (contents, "\"role\" : \"main\""));

  /* The window goes without a word, as in a crash… */
  gtk_window_destroy (GTK_WINDOW (window));
  oip_test_gui_settle (100);

  /* …and the next start brings the edits back, and says so. */
  window = new_window ();
  g_assert_true (oip_test_gui_wait_for (has_product, window));
  g_assert_cmpint (oip_product_get_product_id (oip_window_get_product (window)), ==, product_id);
  g_assert_true (oip_test_gui_wait_for (toast_says, (gpointer) _("Unsaved changes restored")));
  g_assert_cmpstr (oip_image_item_get_url (oip_image_list_get_color (oip_window_get_images (window))), ==, moved);
  oip_test_gui_screenshot (GTK_WIDGET (window), "main-window-restored");

  /* Discarded from the toast: back to Ozon's images, no draft left. */
  press_toast_button (window);
  g_assert_false (oip_window_has_unpushed_changes (window));
  g_assert_true (oip_test_gui_wait_for (draft_on_disk, file) == FALSE || !g_file_query_exists (file, NULL));
}

static gboolean
shown_of_type (gpointer type_name)
{
  GType type = g_type_from_name (type_name);

  return type != 0 && (oip_test_gui_find_widget (type) != NULL || oip_test_gui_find_toplevel (type) != NULL);
}

static void
close_shown (const char *type_name)
{
  GType type = g_type_from_name (type_name);
  GtkWidget *widget = oip_test_gui_find_widget (type);

  if (GTK_IS_WINDOW (widget))
    gtk_window_destroy (GTK_WINDOW (widget));
#if ADW_CHECK_VERSION (1, 5, 0)
  else
    adw_dialog_force_close (ADW_DIALOG (widget));
#endif
  oip_test_gui_settle (400);
}

/* About and the keyboard shortcuts: attached dialogs where libadwaita has
 * them (1.5, 1.8), windows of their own before. */
static void
test_about_and_shortcuts (void)
{
  OipWindow *window = active_window ();
  const char *shortcuts = ADW_CHECK_VERSION (1, 8, 0) ? "AdwShortcutsDialog" : "GtkShortcutsWindow";
  const char *about = ADW_CHECK_VERSION (1, 5, 0) ? "AdwAboutDialog" : "AdwAboutWindow";

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-shortcuts", NULL));
  g_assert_true (oip_test_gui_wait_for (shown_of_type, (gpointer) shortcuts));
  oip_test_gui_settle (400);
  oip_test_gui_screenshot (oip_test_gui_find_widget (g_type_from_name (shortcuts)), "shortcuts");
  close_shown (shortcuts);

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  g_assert_true (oip_test_gui_wait_for (shown_of_type, (gpointer) about));
  oip_test_gui_settle (400);
  oip_test_gui_screenshot_window_of (oip_test_gui_find_widget (g_type_from_name (about)), "about");
  close_shown (about);
}

static void
test_file_chooser_offers_webp (void)
{
  g_autoptr(GtkFileFilter) filter = oip_image_file_filter_new ();
  const char *types[][2] = { { "image/jpeg", "a.jpg" }, { "image/png", "a.png" },
                             { "image/webp", "a.webp" }, { "image/heic", "a.heic" } };

  /* WebP and HEIC are converted on upload: the chooser shows them. */
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(GFileInfo) info = g_file_info_new ();

      g_file_info_set_content_type (info, types[i][0]);
      g_file_info_set_display_name (info, types[i][1]);
      g_file_info_set_name (info, types[i][1]);
      g_assert_true (gtk_filter_match (GTK_FILTER (filter), info));
    }
}

static void
test_translated (void)
{
  OipWindow *window = active_window ();
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
  /* No “(U)” after Chinese labels: the mnemonic is not in the text. */
  g_assert_null (strstr (gtk_label_get_text (GTK_LABEL (gtk_button_get_child (child (window, "upload_button")))), "("));
}

static void
test_close (void)
{
  GtkWindow *window = GTK_WINDOW (active_window ());

  gtk_window_destroy (window);
  oip_test_gui_settle (100);
  g_assert_null (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_application_quit (G_APPLICATION (app));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  oip_test_gui_init (&argc, &argv);

  app = oip_application_new ();
  oip_application_set_demo (app);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/window/empty", test_empty);
  g_test_add_func ("/window/download-product", test_download_product);
  g_test_add_func ("/window/lookup-errors-inline", test_lookup_errors_inline);
  g_test_add_func ("/window/status-not-squashed", test_status_not_squashed);
  g_test_add_func ("/window/delete-keeps-focus", test_delete_keeps_focus);
  g_test_add_func ("/window/keyboard-reordering", test_keyboard_reordering);
  g_test_add_func ("/window/color-apart", test_color_apart);
  g_test_add_func ("/window/add-text", test_add_text);
  g_test_add_func ("/window/unpushed-changes-asked", test_unpushed_changes_asked);
  g_test_add_func ("/window/draft-survives-a-crash", test_draft_survives_a_crash);
  g_test_add_func ("/window/file-chooser-offers-webp", test_file_chooser_offers_webp);
  g_test_add_func ("/window/about-and-shortcuts", test_about_and_shortcuts);
  g_test_add_func ("/window/translated", test_translated);
  g_test_add_func ("/window/close", test_close);

  return g_test_run ();
}
