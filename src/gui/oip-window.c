/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "oip-credentials.h"
#include "oip-dialogs.h"
#include "oip-draft.h"
#include "oip-error.h"
#include "oip-gui-error.h"
#include "oip-history-view.h"
#include "oip-image-list.h"
#include "oip-image-tile.h"
#include "oip-push-plan.h"
#include "oip-settings.h"
#include "oip-status-block.h"
#include "oip-upload-dialog.h"
#include "oip-widget-util.h"
#include "oip-window.h"

/**
 * OipWindow:
 *
 * The main window: look a product up on Ozon (the seed's “download
 * product information” step), see its current images, edit the list of
 * images to push (starting from the current ones, since every push
 * replaces them all), and open the Upload dialog. Recently downloaded
 * products reopen in one click. Every network call runs on the window's
 * cancellable, cancelled when the window goes away.
 *
 * The seller's edits are never lost: they are kept as a draft on disk
 * after every change (restored when the product is opened again, or when
 * the app starts after a crash), every removal can be undone, and
 * switching product, Reset and closing ask first while there are unpushed
 * changes.
 *
 * After a push of its product ends, the window shows the product as the
 * push left it in the store; a toast offers Undo after a push that
 * changed it. The History view (the product card's button for one
 * product, the main menu or Ctrl+H for all) lists the pushes and offers
 * Restore; Undo and Restore open the Upload dialog's normal review.
 */
struct _OipWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkWidget            *upload_button;
  GtkLabel             *window_title;
  GtkRevealer          *banner_revealer;
  GtkLabel             *banner_label;
  GtkLabel             *demo_label;
  AdwComboRow          *key_row;
  AdwEntryRow          *id_row;
  GtkLabel             *lookup_error;
  GtkWidget            *busy_box;
  GtkSpinner           *spinner;
  GtkLabel             *busy_label;
  GtkStack             *product_stack;
  OipStatusBlock       *empty_status;
  AdwActionRow         *product_row;
  GtkFlowBox           *current_flow;
  GtkLabel             *no_current_label;
  AdwPreferencesGroup  *push_group;
  AdwEntryRow          *add_row;
  GtkFlowBox           *push_flow;
  GtkWidget            *color_box;
  GtkLabel             *color_hint;
  GtkFlowBox           *color_flow;
  GtkLabel             *push_hint;
  AdwPreferencesGroup  *recent_group;
  GtkListBox           *recent_list;

  /* Owned references */
  GCancellable         *cancellable;
  GCancellable         *download_cancellable;
  GSettings            *settings;
  OipProduct           *product;
  OipImageList         *images;
  GtkFilter            *push_filter;
  GtkFilter            *color_filter;
  GPtrArray            *removals;        /* Removal *, for Undo */
  OipProduct           *pending_product; /* to show once the seller answers */

  /* Borrowed references */
  GtkWidget            *upload_dialog;   /* weak: the dialog holding the OipUploadDialog */
  GtkWidget            *history_dialog;  /* weak: the dialog holding the OipHistoryView */
  AdwToast             *last_toast;      /* weak */

  guint                 next_removal_id;
  guint                 draft_serial;
  gboolean              busy;
  gboolean              from_keyboard;
  gboolean              normalizing;
  gboolean              applying_draft;
  gboolean              has_draft;
  gboolean              closing;
};

G_DEFINE_FINAL_TYPE (OipWindow, oip_window, ADW_TYPE_APPLICATION_WINDOW)

typedef struct
{
  guint     id;
  char     *url;
  guint     position;
  gboolean  color;
} Removal;

static void
removal_free (Removal *removal)
{
  g_free (removal->url);
  g_free (removal);
}

typedef enum
{
  ASK_SHOW,
  ASK_RESET,
  ASK_CLOSE,
} AskKind;

static void show_product (OipWindow      *self,
                          OipProduct     *product,
                          const OipDraft *draft);
static void request_show_product (OipWindow  *self,
                                  OipProduct *product);

static OipApplication *
get_app (OipWindow *self)
{
  return OIP_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

static OipDraftStore *
get_drafts (OipWindow *self)
{
  return oip_application_get_drafts (get_app (self));
}

static guint
count_invalid (OipWindow *self)
{
  GListModel *model = oip_image_list_get_model (self->images);
  guint invalid = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(OipImageItem) item = g_list_model_get_item (model, i);

      invalid += !oip_image_item_is_valid (item);
    }
  return invalid;
}

static void
update_actions (OipWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->id_row))));
  gboolean has_images = self->images != NULL && oip_image_list_get_n_images (self->images) > 0;
  const char *why;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.download", !self->busy && *text != '\0' &&
                                 !gtk_widget_has_css_class (GTK_WIDGET (self->id_row), "oip-invalid-id"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-download", self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.upload", self->product != NULL && has_images);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reset-images", self->product != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-files", self->product != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-product-history", self->product != NULL);

  /* A disabled Upload says why. */
  if (self->product == NULL)
    why = _("Download a product first: its images are what you push.");
  else if (!has_images)
    why = _("Add at least one image to push.");
  else
    why = _("Review and push the images to Ozon (Ctrl+U)");
  gtk_widget_set_tooltip_text (self->upload_button, why);
}

static void
set_busy (OipWindow *self,
          gboolean   busy)
{
  self->busy = busy;
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (self->busy_box, busy);
  update_actions (self);
}

static GtkWidget *
create_recent_row (gpointer item,
                   gpointer user_data)
{
  OipProduct *product = item;
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = g_strdup_printf ("%s · %" G_GINT64_FORMAT,
                                               oip_product_get_offer_id (product),
                                               oip_product_get_product_id (product));
  const char *name = oip_product_get_name (product);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name && *name ? name : oip_product_get_offer_id (product));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "product", g_object_ref (product), g_object_unref);
  return row;
}

static void
present_toast (OipWindow *self,
               AdwToast  *toast)
{
  g_set_weak_pointer (&self->last_toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_toast (OipWindow  *self,
            const char *text)
{
  present_toast (self, adw_toast_new (text));
}

static gboolean
find_url (OipWindow  *self,
          const char *url,
          guint      *position)
{
  GListModel *model = oip_image_list_get_model (self->images);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(OipImageItem) item = g_list_model_get_item (model, i);

      if (g_str_equal (oip_image_item_get_url (item), url))
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
add_text (OipWindow  *self,
          const char *text)
{
  guint duplicates = 0;
  guint added;

  if (self->product == NULL)
    return;
  added = oip_image_list_add_text (self->images, text, &duplicates);
  if (added == 0 && duplicates > 0)
    show_toast (self, _("Already in the list"));
}

/* Drafts {{{1 */

/* Whether the list is exactly the product's images on Ozon: nothing to
 * push, nothing to keep. */
static gboolean
list_matches (OipWindow         *self,
              const char * const *images,
              const char         *color)
{
  GListModel *model = oip_image_list_get_model (self->images);
  guint n = 0;
  gboolean color_seen = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(OipImageItem) item = g_list_model_get_item (model, i);
      const char *url = oip_image_item_get_url (item);

      if (oip_image_item_get_is_color (item))
        {
          if (g_strcmp0 (url, color) != 0)
            return FALSE;
          color_seen = TRUE;
        }
      else if (images[n] == NULL || !g_str_equal (images[n++], url))
        return FALSE;
    }
  return images[n] == NULL && (color_seen || color == NULL);
}

static gboolean
list_matches_product (OipWindow *self)
{
  return list_matches (self, oip_product_get_images (self->product), oip_product_get_color_image (self->product));
}

static OipDraft *
draft_from_list (OipWindow *self)
{
  GListModel *model = oip_image_list_get_model (self->images);
  OipDraft *draft = oip_draft_new (self->product);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(OipImageItem) item = g_list_model_get_item (model, i);

      g_ptr_array_add (draft->urls, g_strdup (oip_image_item_get_url (item)));
      if (oip_image_item_get_is_color (item))
        draft->color_url = g_strdup (oip_image_item_get_url (item));
    }
  return draft;
}

/* After every change: unpushed edits are written (debounced) as the
 * product's draft; once the list is the product's again, it is dropped. */
static void
update_draft (OipWindow *self)
{
  if (self->product == NULL || self->applying_draft)
    return;
  if (!list_matches_product (self))
    {
      g_autoptr(OipDraft) draft = draft_from_list (self);

      oip_draft_store_save (get_drafts (self), draft);
      self->has_draft = TRUE;
    }
  else if (self->has_draft)
    {
      oip_draft_store_discard (get_drafts (self), oip_product_get_product_id (self->product));
      self->has_draft = FALSE;
    }
}

static void
apply_draft (OipWindow      *self,
             const OipDraft *draft)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint position;

  self->applying_draft = TRUE;
  oip_image_list_reset (self->images, NULL);
  for (guint i = 0; i < draft->urls->len; i++)
    g_string_append_printf (text, "%s\n", (const char *) g_ptr_array_index (draft->urls, i));
  oip_image_list_add_text (self->images, text->str, NULL);
  if (draft->color_url != NULL && find_url (self, draft->color_url, &position))
    oip_image_list_set_color (self->images, position, TRUE);
  self->applying_draft = FALSE;
  update_draft (self);
}

static void
show_restored_toast (OipWindow *self)
{
  AdwToast *toast = adw_toast_new (_("Unsaved changes restored"));

  adw_toast_set_button_label (toast, _("_Discard"));
  adw_toast_set_action_name (toast, "win.discard-draft");
  adw_toast_set_timeout (toast, 10);
  present_toast (self, toast);
}

typedef struct
{
  OipWindow  *self;
  OipProduct *product;
  guint       serial;
} DraftLoad;

static void
draft_load_free (DraftLoad *load)
{
  g_object_unref (load->self);
  g_object_unref (load->product);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DraftLoad, draft_load_free)

static void
on_draft_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DraftLoad) load = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipDraft) draft = oip_draft_store_load_finish (OIP_DRAFT_STORE (source), result, &error);
  OipWindow *self = load->self;

  if (error != NULL)
    g_debug ("No draft restored: %s", error->message);
  /* Another product since, or the seller edited already: theirs wins. */
  if (draft == NULL || self->product != load->product || self->draft_serial != load->serial)
    return;
  if (list_matches (self, (const char * const *) draft->urls->pdata, NULL) && draft->color_url == NULL)
    return;
  apply_draft (self, draft);
  show_restored_toast (self);
}

typedef struct
{
  OipWindow *self;
  OipDraft  *draft;
} LatestDraft;

static void
latest_draft_free (LatestDraft *latest)
{
  g_object_unref (latest->self);
  oip_draft_free (latest->draft);
  g_free (latest);
}

static void
on_latest_draft_product (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  LatestDraft *latest = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipProduct) stored = oip_product_store_lookup_finish (OIP_PRODUCT_STORE (source), result, &error);
  OipWindow *self = latest->self;

  /* Unless the window went, or the seller started something else. */
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->product == NULL && !self->busy)
    show_product (self, stored ? stored : latest->draft->product, latest->draft);
  latest_draft_free (latest);
}

static void
on_latest_draft (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(OipWindow) self = user_data;
  g_autoptr(OipDraft) draft = oip_draft_store_load_latest_finish (OIP_DRAFT_STORE (source), result, NULL);
  g_autofree char *id = NULL;
  LatestDraft *latest;

  /* What the seller was doing when the app stopped, unless they started
   * something else already; with the product as stored, if it is. */
  if (draft == NULL || self->product != NULL || self->busy)
    return;
  id = g_strdup_printf ("%" G_GINT64_FORMAT, oip_product_get_product_id (draft->product));
  latest = g_new0 (LatestDraft, 1);
  latest->self = g_object_ref (self);
  latest->draft = g_steal_pointer (&draft);
  oip_product_store_lookup_async (oip_application_get_store (get_app (self)), OIP_PRODUCT_KEY_PRODUCT_ID, id,
                                  self->cancellable, on_latest_draft_product, latest);
}

/* The list {{{1 */

static void
on_tile_dropped (OipImageTile *tile,
                 const char   *text,
                 OipWindow    *self)
{
  guint from, to;

  /* Another tile dragged here: move it to this tile's place. */
  if (find_url (self, text, &from) &&
      find_url (self, oip_image_item_get_url (oip_image_tile_get_item (tile)), &to))
    oip_image_list_move (self->images, from, to);
  else
    add_text (self, text);
}

static GtkWidget *
create_push_tile (gpointer item,
                  gpointer user_data)
{
  GtkWidget *tile = oip_image_tile_new (item, TRUE);

  g_signal_connect_object (tile, "dropped", G_CALLBACK (on_tile_dropped), user_data, 0);
  return tile;
}

static GtkWidget *
create_current_tile (gpointer item,
                     gpointer user_data)
{
  return oip_image_tile_new (item, FALSE);
}

static gboolean
is_color_item (gpointer item,
               gpointer user_data)
{
  return oip_image_item_get_is_color (item) == GPOINTER_TO_INT (user_data);
}

static void
on_images_changed (OipWindow *self)
{
  GListModel *model = oip_image_list_get_model (self->images);
  guint n_items = g_list_model_get_n_items (model);
  guint n = oip_image_list_get_n_images (self->images);
  guint invalid;
  OipImageItem *color = oip_image_list_get_color (self->images);
  g_autofree char *title = NULL;
  g_autofree char *hint = NULL;

  /* The color image is shown apart, after the numbered images: keep it
   * last in the list, so that the grid's order is the list's. */
  if (color != NULL && !self->normalizing)
    {
      guint position;

      if (find_url (self, oip_image_item_get_url (color), &position) && position != n_items - 1)
        {
          self->normalizing = TRUE;
          oip_image_list_move (self->images, position, n_items - 1);
          self->normalizing = FALSE;
          return;
        }
    }

  gtk_filter_changed (self->push_filter, GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (self->color_filter, GTK_FILTER_CHANGE_DIFFERENT);

  /* Translators: the seed's “待推送图片 ({count} 张)” */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Images to Push (%u)", "Images to Push (%u)", n), n);
  adw_preferences_group_set_title (self->push_group, title);

  invalid = count_invalid (self);
  if (n == 0)
    hint = g_strdup (_("No images to push. Add image URLs above, or drop them here."));
  else if (n > OIP_MAX_IMAGES)
    hint = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Ozon takes %u images: %u image at the end will not be sent.",
                                         "Ozon takes %u images: %u images at the end will not be sent.",
                                         n - OIP_MAX_IMAGES),
                            OIP_MAX_IMAGES, n - OIP_MAX_IMAGES);
  else if (invalid > 0)
    hint = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u image has an address Ozon cannot use: fix or remove it before pushing.",
                                         "%u images have addresses Ozon cannot use: fix or remove them before pushing.",
                                         invalid),
                            invalid);
  gtk_label_set_text (self->push_hint, hint ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->push_hint), hint != NULL);

  gtk_label_set_text (self->color_hint, color != NULL
                      ? _("Shown as the product’s color swatch. It is not one of the numbered images.")
                      : _("None. Make an image the color image from its menu (Ctrl+K)."));

  /* The last tile cannot move later, the first not earlier. */
  for (int i = 0; ; i++)
    {
      GtkFlowBoxChild *flow_child = gtk_flow_box_get_child_at_index (self->push_flow, i);

      if (flow_child == NULL)
        break;
      oip_image_tile_set_last (OIP_IMAGE_TILE (gtk_flow_box_child_get_child (flow_child)),
                               gtk_flow_box_get_child_at_index (self->push_flow, i + 1) == NULL);
    }

  if (!self->applying_draft)
    self->draft_serial++;
  update_draft (self);
  update_actions (self);
}

static gboolean
on_flow_drop (GtkDropTarget *target,
              const GValue  *value,
              double         x,
              double         y,
              OipWindow     *self)
{
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      g_autoptr(GString) uris = g_string_new (NULL);

      for (GSList *l = g_value_get_boxed (value); l != NULL; l = l->next)
        {
          g_autofree char *uri = g_file_get_uri (l->data);

          g_string_append_printf (uris, "%s\n", uri);
        }
      add_text (self, uris->str);
    }
  else
    {
      const char *text = g_value_get_string (value);
      guint from;

      /* A tile dropped between tiles goes to the end. */
      if (find_url (self, text, &from))
        oip_image_list_move (self->images, from, G_MAXUINT);
      else
        add_text (self, text);
    }
  return TRUE;
}

static void
on_add_apply (OipWindow *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->add_row)));

  if (*g_strstrip (text) == '\0')
    return;
  add_text (self, text);
  gtk_editable_set_text (GTK_EDITABLE (self->add_row), "");
}

/* Keyboard and focus on the tiles {{{1 */

/* Moves the focus to a tile through the flow box's own focus handling, so
 * that the flow box's idea of the current tile follows. */
static void
focus_flow_child (GtkFlowBoxChild *child)
{
  if (gtk_widget_has_focus (GTK_WIDGET (child)))
    return;
  if (!gtk_widget_child_focus (GTK_WIDGET (child), GTK_DIR_TAB_FORWARD) ||
      !gtk_widget_has_focus (GTK_WIDGET (child)))
    gtk_widget_grab_focus (GTK_WIDGET (child));
}

static GtkFlowBoxChild *
child_for_url (OipWindow  *self,
               const char *url)
{
  GtkFlowBox *flows[] = { self->push_flow, self->color_flow };

  for (guint f = 0; f < G_N_ELEMENTS (flows); f++)
    for (int i = 0; ; i++)
      {
        GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (flows[f], i);

        if (child == NULL)
          break;
        if (g_str_equal (oip_image_item_get_url (oip_image_tile_get_item (OIP_IMAGE_TILE (gtk_flow_box_child_get_child (child)))), url))
          return child;
      }
  return NULL;
}

static gboolean
focus_in_tiles (OipWindow *self)
{
  return gtk_widget_get_focus_child (GTK_WIDGET (self->push_flow)) != NULL ||
         gtk_widget_get_focus_child (GTK_WIDGET (self->color_flow)) != NULL;
}

/* The focused tile, for keyboard shortcuts. */
static const char *
focused_url (OipWindow *self)
{
  GtkWidget *child = gtk_widget_get_focus_child (GTK_WIDGET (self->push_flow));
  GtkWidget *tile;

  if (child == NULL)
    child = gtk_widget_get_focus_child (GTK_WIDGET (self->color_flow));
  if (!GTK_IS_FLOW_BOX_CHILD (child))
    return NULL;
  tile = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));
  return OIP_IS_IMAGE_TILE (tile) ? oip_image_item_get_url (oip_image_tile_get_item (OIP_IMAGE_TILE (tile))) : NULL;
}

/* The neighbour of @from in @direction (-1, +1: before, after; -2, +2: the
 * row above, below), by where the tiles are on screen. */
static GtkFlowBoxChild *
neighbour (GtkFlowBox      *flow,
           GtkFlowBoxChild *from,
           int              direction)
{
  int index = gtk_flow_box_child_get_index (from);
  graphene_rect_t here;
  GtkFlowBoxChild *best = NULL;
  float best_dy = G_MAXFLOAT, best_dx = G_MAXFLOAT;

  if (direction == -1 || direction == 1)
    return index + direction >= 0 ? gtk_flow_box_get_child_at_index (flow, index + direction) : NULL;

  if (!gtk_widget_compute_bounds (GTK_WIDGET (from), GTK_WIDGET (flow), &here))
    return NULL;
  for (int i = 0; ; i++)
    {
      GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (flow, i);
      graphene_rect_t there;
      float dy, dx;

      if (child == NULL)
        break;
      if (!gtk_widget_compute_bounds (GTK_WIDGET (child), GTK_WIDGET (flow), &there))
        continue;
      dy = (there.origin.y - here.origin.y) * (direction > 0 ? 1 : -1);
      dx = ABS (there.origin.x - here.origin.x);
      if (dy < 1)
        continue;
      if (dy < best_dy - 1 || (ABS (dy - best_dy) <= 1 && dx < best_dx))
        {
          best = child;
          best_dy = dy;
          best_dx = dx;
        }
    }
  return best;
}

/* The arrow keys, Home/End, Space and Enter on the tiles. GtkFlowBox moves
 * its keyboard cursor from the tile it last focused itself, which it does
 * not forget when that tile is removed: after a tile moved (Alt+arrows,
 * Ctrl+M) or went to the color slot (Ctrl+K), the next arrow read freed
 * memory (the crash in g_sequence_iter_next). These keys are handled here,
 * from the focused tile, before the flow box sees them. */
static gboolean
on_flow_key_pressed (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     OipWindow             *self)
{
  GtkFlowBox *flow = GTK_FLOW_BOX (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller)));
  GtkWidget *focus = gtk_widget_get_focus_child (GTK_WIDGET (flow));
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (flow)) == GTK_TEXT_DIR_RTL;
  GtkFlowBoxChild *target = NULL;
  int direction = 0;

  if ((state & GDK_ALT_MASK) || !GTK_IS_FLOW_BOX_CHILD (focus))
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      direction = rtl ? 1 : -1;
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      direction = rtl ? -1 : 1;
      break;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
      direction = -2;
      break;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
    case GDK_KEY_Page_Down:
    case GDK_KEY_KP_Page_Down:
      direction = 2;
      break;
    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      target = gtk_flow_box_get_child_at_index (flow, 0);
      break;
    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      for (int i = 0; gtk_flow_box_get_child_at_index (flow, i) != NULL; i++)
        target = gtk_flow_box_get_child_at_index (flow, i);
      break;
    case GDK_KEY_space:
    case GDK_KEY_KP_Space:
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      /* On a tile (not on its menu button): its menu. */
      if (!gtk_widget_has_focus (focus))
        return FALSE;
      oip_image_tile_popup_menu (OIP_IMAGE_TILE (gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (focus))));
      return TRUE;
    default:
      return FALSE;
    }

  if (direction != 0)
    target = neighbour (flow, GTK_FLOW_BOX_CHILD (focus), direction);
  if (target != NULL)
    focus_flow_child (target);
  else if (direction == -2 || direction == 2)
    /* Out of the grid, up or down, as from any other widget. */
    gtk_widget_child_focus (GTK_WIDGET (self), direction < 0 ? GTK_DIR_UP : GTK_DIR_DOWN);
  gtk_window_set_focus_visible (GTK_WINDOW (self), TRUE);
  return TRUE;
}

static void
add_flow_keys (OipWindow  *self,
               GtkFlowBox *flow)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_event_controller_set_name (keys, "oip-tile-keys");
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_flow_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (flow), keys);
}

/* Image actions {{{1 */

static void
undo_removal (OipWindow *self,
              guint      id)
{
  Removal *removal = NULL;
  guint index, position, n;

  for (index = 0; index < self->removals->len; index++)
    if (((Removal *) g_ptr_array_index (self->removals, index))->id == id)
      {
        removal = g_ptr_array_index (self->removals, index);
        break;
      }
  if (removal == NULL || self->product == NULL || find_url (self, removal->url, &position))
    return;

  /* Back in its place, with its role: first is main; color is color. */
  oip_image_list_add_text (self->images, removal->url, NULL);
  if (find_url (self, removal->url, &position))
    {
      n = oip_image_list_get_n_images (self->images);
      if (removal->color)
        oip_image_list_set_color (self->images, position, TRUE);
      else
        oip_image_list_move (self->images, position, MIN (removal->position, n - 1));
    }
  if (focus_in_tiles (self) || gtk_widget_has_focus (GTK_WIDGET (self)))
    {
      GtkFlowBoxChild *child = child_for_url (self, removal->url);

      if (child != NULL)
        focus_flow_child (child);
    }
  g_ptr_array_remove_index (self->removals, index);
}

static void
undo_remove_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  undo_removal (OIP_WINDOW (widget), g_variant_get_uint32 (parameter));
}

static void
remove_image (OipWindow *self,
              guint      position,
              gboolean   had_focus)
{
  g_autoptr(OipImageItem) item = g_list_model_get_item (oip_image_list_get_model (self->images), position);
  Removal *removal = g_new0 (Removal, 1);
  GtkFlowBoxChild *next = NULL;
  AdwToast *toast;
  guint n;

  removal->id = ++self->next_removal_id;
  removal->url = g_strdup (oip_image_item_get_url (item));
  removal->position = position;
  removal->color = oip_image_item_get_is_color (item);
  g_ptr_array_add (self->removals, removal);

  oip_image_list_remove (self->images, position);

  /* The keyboard stays where it was: on the next tile, or on the one
   * before at the end; never back at the first (the main image). */
  if (had_focus)
    {
      n = oip_image_list_get_n_images (self->images);
      if (removal->color)
        next = n > 0 ? gtk_flow_box_get_child_at_index (self->push_flow, n - 1) : NULL;
      else if (n > 0)
        next = gtk_flow_box_get_child_at_index (self->push_flow, MIN (position, n - 1));
      if (next != NULL)
        focus_flow_child (next);
      else
        gtk_widget_grab_focus (GTK_WIDGET (self->add_row));
    }

  toast = adw_toast_new (removal->color ? _("Color image removed") : _("Image removed"));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_target_value (toast, g_variant_new_uint32 (removal->id));
  adw_toast_set_action_name (toast, "win.undo-remove");
  present_toast (self, toast);
}

static void
image_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  OipWindow *self = OIP_WINDOW (widget);
  g_autofree char *url = g_variant_dup_string (parameter, NULL);
  g_autoptr(OipImageItem) item = NULL;
  gboolean had_focus = focus_in_tiles (self);
  gboolean keyboard = self->from_keyboard;
  guint position;
  guint n;

  if (!find_url (self, url, &position))
    return;
  item = g_list_model_get_item (oip_image_list_get_model (self->images), position);
  n = oip_image_list_get_n_images (self->images);

  if (g_str_equal (action_name, "win.image-main"))
    {
      /* The color image is not one of the numbered images: it cannot be
       * the main one without first being an ordinary image again. */
      if (oip_image_item_get_is_color (item))
        {
          show_toast (self, _("The color image cannot be the main image. Make it an ordinary image first (Ctrl+K), then make it the main one."));
          return;
        }
      if (!oip_image_item_is_valid (item))
        {
          show_toast (self, _("An image whose address Ozon cannot use cannot be the main image."));
          return;
        }
      oip_image_list_set_main (self->images, position);
    }
  else if (g_str_equal (action_name, "win.image-color"))
    {
      if (!oip_image_item_get_is_color (item) && !oip_image_item_is_valid (item))
        {
          show_toast (self, _("An image whose address Ozon cannot use cannot be the color image."));
          return;
        }
      oip_image_list_set_color (self->images, position, !oip_image_item_get_is_color (item));
    }
  else if (g_str_equal (action_name, "win.image-earlier"))
    {
      if (oip_image_item_get_is_color (item) || position == 0)
        return;
      oip_image_list_move (self->images, position, position - 1);
    }
  else if (g_str_equal (action_name, "win.image-later"))
    {
      if (oip_image_item_get_is_color (item) || position + 1 >= n)
        return;
      oip_image_list_move (self->images, position, position + 1);
    }
  else if (g_str_equal (action_name, "win.image-remove"))
    {
      remove_image (self, position, had_focus);
      if (keyboard)
        gtk_window_set_focus_visible (GTK_WINDOW (self), TRUE);
      return;
    }

  /* Keep the keyboard on the image that moved. */
  if (had_focus)
    {
      GtkFlowBoxChild *child = child_for_url (self, url);

      if (child != NULL)
        focus_flow_child (child);
      if (keyboard)
        gtk_window_set_focus_visible (GTK_WINDOW (self), TRUE);
    }
}

static gboolean
on_tile_shortcut (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  OipWindow *self = user_data;
  const char *action = g_variant_get_string (args, NULL);
  g_autofree char *url = g_strdup (focused_url (self));

  if (url == NULL)
    return FALSE;
  self->from_keyboard = TRUE;
  gtk_widget_activate_action (GTK_WIDGET (self), action, "s", url);
  self->from_keyboard = FALSE;
  return TRUE;
}

static void
add_tile_shortcut (GtkShortcutController *controller,
                   guint                  key,
                   GdkModifierType        modifiers,
                   const char            *action,
                   OipWindow             *self)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (key, modifiers),
                                            gtk_callback_action_new (on_tile_shortcut, self, NULL));

  gtk_shortcut_set_arguments (shortcut, g_variant_new_string (action));
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

static void
on_files_chosen (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(OipWindow) self = user_data;
  g_autoptr(GListModel) files = oip_open_files_finish (result, NULL);
  g_autoptr(GString) uris = g_string_new (NULL);

  if (files == NULL)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (files, i);
      g_autofree char *uri = g_file_get_uri (file);

      g_string_append_printf (uris, "%s\n", uri);
    }
  add_text (self, uris->str);
}

static void
add_files_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  OipWindow *self = OIP_WINDOW (widget);
  g_autoptr(GtkFileFilter) pictures = oip_image_file_filter_new ();

  if (self->product == NULL)
    return;
  oip_open_files_async (GTK_WIDGET (self), _("Add Pictures"), pictures, self->cancellable,
                        on_files_chosen, g_object_ref (self));
}

static void
destroy_later (OipWindow *self)
{
  self->closing = TRUE;
  /* Not from inside the alert's own signal handler. */
  g_idle_add_full (G_PRIORITY_DEFAULT, (GSourceFunc) gtk_window_close, g_object_ref (self), g_object_unref);
}

static void
on_drafts_flushed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(OipWindow) self = user_data;

  oip_draft_store_flush_finish (OIP_DRAFT_STORE (source), result, NULL);
  destroy_later (self);
}

static void
close_after_flush (OipWindow *self)
{
  self->closing = TRUE;
  oip_draft_store_flush_async (get_drafts (self), NULL, on_drafts_flushed, g_object_ref (self));
}

static void
on_unpushed_answer (GtkWidget  *alert,
                    const char *response,
                    OipWindow  *self)
{
  AskKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (alert), "ask-kind"));
  g_autoptr(OipProduct) pending = g_steal_pointer (&self->pending_product);

  if (g_str_equal (response, "cancel"))
    return;
  if (g_str_equal (response, "discard") && self->product != NULL)
    {
      /* Back to what is on Ozon: the draft goes with it. */
      oip_image_list_reset (self->images, self->product);
      oip_draft_store_discard (get_drafts (self), oip_product_get_product_id (self->product));
      self->has_draft = FALSE;
    }

  switch (kind)
    {
    case ASK_SHOW:
      if (pending != NULL)
        show_product (self, pending, NULL);
      break;
    case ASK_CLOSE:
      close_after_flush (self);
      break;
    case ASK_RESET:
    default:
      break;
    }
}

static void
ask_unpushed (OipWindow *self,
              AskKind    kind)
{
  const char *name = oip_product_get_name (self->product);
  g_autofree char *body = NULL;
  GtkWidget *alert;

  /* Translators: %s is the product's name */
  body = g_strdup_printf (_("The images of “%s” were changed and not pushed to Ozon."),
                          name && *name ? name : oip_product_get_offer_id (self->product));
  if (kind == ASK_RESET)
    {
      alert = oip_alert_new (_("Discard the Unpushed Changes?"), body);
      oip_alert_add_response (alert, "cancel", _("_Cancel"), ADW_RESPONSE_DEFAULT);
      oip_alert_add_response (alert, "discard", _("_Discard"), ADW_RESPONSE_DESTRUCTIVE);
      oip_alert_set_default_response (alert, "cancel");
    }
  else
    {
      alert = oip_alert_new (_("Keep the Unpushed Changes?"), body);
      oip_alert_add_response (alert, "cancel", _("_Cancel"), ADW_RESPONSE_DEFAULT);
      oip_alert_add_response (alert, "discard", _("_Discard"), ADW_RESPONSE_DESTRUCTIVE);
      oip_alert_add_response (alert, "keep", _("_Keep as Draft"), ADW_RESPONSE_SUGGESTED);
      oip_alert_set_default_response (alert, "keep");
    }
  oip_alert_set_close_response (alert, "cancel");
  g_object_set_data (G_OBJECT (alert), "ask-kind", GINT_TO_POINTER (kind));
  oip_alert_present (alert, GTK_WIDGET (self), (OipAlertFunc) on_unpushed_answer, self);
}

static void
request_show_product (OipWindow  *self,
                      OipProduct *product)
{
  if (self->product != NULL &&
      oip_product_get_product_id (self->product) != oip_product_get_product_id (product) &&
      oip_window_has_unpushed_changes (self))
    {
      g_set_object (&self->pending_product, product);
      ask_unpushed (self, ASK_SHOW);
      return;
    }
  show_product (self, product, NULL);
}

static void
reset_images_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  OipWindow *self = OIP_WINDOW (widget);

  if (oip_window_has_unpushed_changes (self))
    {
      ask_unpushed (self, ASK_RESET);
      return;
    }
  oip_image_list_reset (self->images, self->product);
}

static void
discard_draft_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  OipWindow *self = OIP_WINDOW (widget);

  if (self->product == NULL)
    return;
  oip_image_list_reset (self->images, self->product);
  oip_draft_store_discard (get_drafts (self), oip_product_get_product_id (self->product));
  self->has_draft = FALSE;
}

/* Pushes, Undo and Restore {{{1 */

typedef struct
{
  OipWindow *self;
  gboolean   reset_list;
} Refresh;

static void
on_product_refreshed (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Refresh *refresh = user_data;
  OipWindow *self = refresh->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipProduct) stored = oip_product_store_lookup_finish (OIP_PRODUCT_STORE (source), result, &error);

  if (stored != NULL && self->product != NULL &&
      oip_product_get_product_id (stored) == oip_product_get_product_id (self->product))
    {
      show_product (self, stored, NULL);
      /* An Undo or Restore of what the seller had not changed since: the
       * list follows the product back. */
      if (refresh->reset_list)
        oip_image_list_reset (self->images, stored);
    }
  else if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("The product was not read again: %s", error->message);
  g_object_unref (refresh->self);
  g_free (refresh);
}

/* Whatever way a push of the product shown ended, its images on Ozon are
 * shown as the push left them (the job updated the store). */
static void
on_upload_finished (OipUploadDialog *dialog,
                    OipPushJob      *job,
                    OipWindow       *self)
{
  g_autofree char *id = NULL;
  const OipPushRecord *record;
  Refresh *refresh;

  if (self->product == NULL || oip_push_job_get_product_id (job) != oip_product_get_product_id (self->product))
    return;
  refresh = g_new0 (Refresh, 1);
  refresh->self = g_object_ref (self);
  /* The seller had not changed the list since: it is still what the
   * product had when the Undo or Restore began (the job's record says;
   * the product object itself may already show the outcome). */
  record = oip_push_job_get_record (job);
  refresh->reset_list = (oip_push_job_get_kind (job) == OIP_PUSH_KIND_UNDO ||
                         oip_push_job_get_kind (job) == OIP_PUSH_KIND_RESTORE) &&
                        record != NULL && record->before_known &&
                        list_matches (self, (const char * const *) record->before_images, record->before_color);
  id = g_strdup_printf ("%" G_GINT64_FORMAT, oip_product_get_product_id (self->product));
  oip_product_store_lookup_async (oip_application_get_store (get_app (self)), OIP_PRODUCT_KEY_PRODUCT_ID, id,
                                  self->cancellable, on_product_refreshed, refresh);
}

/* Once the dialog is gone, the window says what the seller should still
 * know: Undo for a push that changed the product; that Ozon may still
 * import after Stop. */
static void
on_upload_closed (OipUploadDialog *dialog,
                  OipWindow       *self)
{
  OipPushJob *job = oip_upload_dialog_get_job (dialog);
  const OipPushResult *result = oip_push_job_get_result (job);
  const OipPushRecord *record = oip_push_job_get_record (job);
  g_autofree char *text = NULL;
  AdwToast *toast;

  if (result == NULL)
    return;
  if (result->outcome == OIP_PUSH_OUTCOME_CANCELLED)
    {
      if (result->import_requested)
        {
          text = oip_push_result_describe (result);
          toast = adw_toast_new (text);
          adw_toast_set_timeout (toast, 10);
          adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
          present_toast (self, toast);
        }
      return;
    }
  if ((result->outcome != OIP_PUSH_OUTCOME_SUCCEEDED && result->outcome != OIP_PUSH_OUTCOME_PARTIAL) ||
      record == NULL || record->id <= 0 || !record->before_known ||
      ((record->before_images == NULL || record->before_images[0] == NULL) && record->before_color == NULL))
    return;
  text = oip_push_result_describe (result);
  toast = adw_toast_new (text);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-push");
  adw_toast_set_action_target_value (toast, g_variant_new_int64 (record->id));
  adw_toast_set_timeout (toast, 10);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  present_toast (self, toast);
}

static void
present_upload_dialog (OipWindow       *self,
                       OipUploadDialog *content)
{
  g_signal_connect_object (content, "finished", G_CALLBACK (on_upload_finished), self, 0);
  g_signal_connect_object (content, "closed", G_CALLBACK (on_upload_closed), self, 0);
  g_set_weak_pointer (&self->upload_dialog, oip_dialog_get_for (GTK_WIDGET (content)));
  oip_dialog_present (self->upload_dialog, GTK_WIDGET (self));
}

static void
upload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  OipWindow *self = OIP_WINDOW (widget);

  if (self->product == NULL)
    return;
  if (self->upload_dialog != NULL)
    {
      oip_dialog_present (self->upload_dialog, GTK_WIDGET (self));
      return;
    }

  /* The dialog pushes the list's own items: their tiles here follow. */
  present_upload_dialog (self, oip_upload_dialog_new (get_app (self), self->product, self->images));
}

typedef struct
{
  OipWindow  *self;
  OipPushJob *job;
} Restore;

static void
restore_free (Restore *restore)
{
  g_object_unref (restore->self);
  g_object_unref (restore->job);
  g_free (restore);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Restore, restore_free)

static void
on_restore_product (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Restore) restore = user_data;
  OipWindow *self = restore->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipProduct) product = oip_product_store_lookup_finish (OIP_PRODUCT_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (product == NULL)
    {
      oip_window_show_error (self, error);
      return;
    }
  if (self->upload_dialog != NULL)
    {
      oip_dialog_present (self->upload_dialog, GTK_WIDGET (self));
      return;
    }
  present_upload_dialog (self, oip_upload_dialog_new_for_job (get_app (self), product, restore->job));
}

/* Undo and Restore are pushes: the normal review of a job that puts back
 * what the product had before @record's push, for the seller to confirm. */
static void
review_restore (OipWindow           *self,
                const OipPushRecord *record,
                OipPushKind          kind)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  OipPushJob *job;
  Restore *restore;

  if (self->upload_dialog != NULL)
    {
      oip_dialog_present (self->upload_dialog, GTK_WIDGET (self));
      return;
    }
  job = oip_push_job_new_restore (oip_application_get_context (get_app (self)), record, kind, &error);
  if (job == NULL)
    {
      oip_window_show_error (self, error);
      return;
    }
  restore = g_new0 (Restore, 1);
  restore->self = g_object_ref (self);
  restore->job = job;
  /* The product as stored: its offer ID and the images it has now. */
  id = g_strdup_printf ("%" G_GINT64_FORMAT, record->product_id);
  oip_product_store_lookup_async (oip_application_get_store (get_app (self)), OIP_PRODUCT_KEY_PRODUCT_ID, id,
                                  self->cancellable, on_restore_product, restore);
}

static void
on_undo_record (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(OipWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipPushRecord) record = oip_history_get_finish (OIP_HISTORY (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (record == NULL)
    {
      oip_window_show_error (self, error);
      return;
    }
  review_restore (self, record, OIP_PUSH_KIND_UNDO);
}

static void
undo_push_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  OipWindow *self = OIP_WINDOW (widget);
  OipHistory *history = oip_context_get_history (oip_application_get_context (get_app (self)));

  if (history == NULL)
    return;
  /* Read on the database's thread, not here. */
  oip_history_get_async (history, g_variant_get_int64 (parameter), self->cancellable,
                         on_undo_record, g_object_ref (self));
}

static void
on_history_restore (OipHistoryView      *view,
                    const OipPushRecord *record,
                    OipWindow           *self)
{
  g_autoptr(OipPushRecord) copy = oip_push_record_copy (record);

  /* The review takes over; the history is read afresh next time. */
  oip_dialog_close (GTK_WIDGET (view));
  review_restore (self, copy, OIP_PUSH_KIND_RESTORE);
}

static void
show_history (OipWindow  *self,
              gint64      product_id,
              const char *offer_id)
{
  OipHistory *history = oip_context_get_history (oip_application_get_context (get_app (self)));
  OipHistoryView *view;

  if (history == NULL)
    return;
  if (self->history_dialog != NULL)
    oip_dialog_force_close (self->history_dialog);
  view = oip_history_view_new (history, product_id, offer_id);
  g_signal_connect_object (view, "restore", G_CALLBACK (on_history_restore), self, 0);
  g_set_weak_pointer (&self->history_dialog, oip_dialog_new (GTK_WIDGET (view), _("Push History"), 640, 720));
  oip_dialog_present (self->history_dialog, GTK_WIDGET (self));
}

static void
show_history_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  show_history (OIP_WINDOW (widget), 0, NULL);
}

static void
show_product_history_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  OipWindow *self = OIP_WINDOW (widget);

  if (self->product == NULL)
    return;
  show_history (self, oip_product_get_product_id (self->product), oip_product_get_offer_id (self->product));
}

static void
on_recent_changed (GListModel *model,
                   guint       position,
                   guint       removed,
                   guint       added,
                   OipWindow  *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->recent_group), g_list_model_get_n_items (model) > 0);
}

/* Looking a product up {{{1 */

static const char *
key_name (OipProductKey key)
{
  switch (key)
    {
    case OIP_PRODUCT_KEY_PRODUCT_ID:
      return "product_id";
    case OIP_PRODUCT_KEY_SKU:
      return "sku";
    case OIP_PRODUCT_KEY_OFFER_ID:
    default:
      return "offer_id";
    }
}

static void
show_lookup_error (OipWindow  *self,
                   const char *text)
{
  gtk_label_set_text (self->lookup_error, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->lookup_error), text != NULL);
  if (text != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->id_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->id_row), "error");
}

/* Under the field, as the seller types: Product IDs and SKUs are numbers. */
static void
check_identifier (OipWindow *self)
{
  g_autofree char *value = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->id_row))));
  OipProductKey key = adw_combo_row_get_selected (self->key_row);
  gint64 number;
  const char *problem = NULL;

  if (*value != '\0' && key != OIP_PRODUCT_KEY_OFFER_ID &&
      !g_ascii_string_to_signed (value, 10, 1, G_MAXINT64, &number, NULL))
    problem = key == OIP_PRODUCT_KEY_SKU
              ? _("A SKU is a whole number, such as 1733002211. To look up an article like “ART-1001”, choose Offer ID.")
              : _("A product ID is a whole number, such as 214365879. To look up an article like “ART-1001”, choose Offer ID.");
  show_lookup_error (self, problem);
  if (problem != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->id_row), "oip-invalid-id");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->id_row), "oip-invalid-id");
  update_actions (self);
}

static void
on_store_saved (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(OipWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!oip_product_store_put_finish (OIP_PRODUCT_STORE (source), result, &error))
    oip_window_show_error (self, error);
}

typedef struct
{
  OipWindow     *self;
  OipProductKey  key;
  char          *value;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_object_unref (lookup->self);
  g_free (lookup->value);
  g_free (lookup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lookup, lookup_free)

static void
on_product_downloaded (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(Lookup) lookup = user_data;
  OipWindow *self = lookup->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipProduct) product = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  OipProductStore *store;

  product = oip_ozon_client_get_product_finish (OIP_OZON_CLIENT (source), result, &error);
  set_busy (self, FALSE);
  if (product == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Not found: said under the field that was searched. */
      if (g_error_matches (error, OIP_ERROR, OIP_ERROR_NOT_FOUND) ||
          g_error_matches (error, OIP_ERROR, OIP_ERROR_PRODUCT_NOT_FOUND))
        {
          g_autofree char *text = NULL;

          if (lookup->key == OIP_PRODUCT_KEY_SKU)
            text = g_strdup_printf (_("No product with SKU “%s” on Ozon."), lookup->value);
          else if (lookup->key == OIP_PRODUCT_KEY_PRODUCT_ID)
            text = g_strdup_printf (_("No product with product ID “%s” on Ozon."), lookup->value);
          else
            text = g_strdup_printf (_("No product with offer ID “%s” on Ozon."), lookup->value);
          show_lookup_error (self, text);
          gtk_widget_set_tooltip_text (GTK_WIDGET (self->lookup_error), oip_gui_error_details (error));
          return;
        }
      oip_window_show_error (self, error);
      return;
    }

  oip_product_set_downloaded_at (product, now);
  store = oip_application_get_store (get_app (self));
  oip_product_store_put_async (store, product, self->cancellable, on_store_saved, g_object_ref (self));
  request_show_product (self, product);
}

static void
download_with_client (OipWindow     *self,
                      OipOzonClient *client)
{
  g_autofree char *value = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->id_row))));
  Lookup *lookup = g_new0 (Lookup, 1);

  lookup->self = g_object_ref (self);
  lookup->key = adw_combo_row_get_selected (self->key_row);
  lookup->value = g_strdup (value);
  g_clear_object (&self->download_cancellable);
  self->download_cancellable = g_cancellable_new ();
  g_signal_connect_object (self->cancellable, "cancelled", G_CALLBACK (g_cancellable_cancel),
                           self->download_cancellable, G_CONNECT_SWAPPED);
  g_debug ("Looking up %s %s", key_name (lookup->key), value);
  oip_ozon_client_get_product_async (client, lookup->key, value, self->download_cancellable,
                                     on_product_downloaded, lookup);
}

static void
on_credentials (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(OipWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipCredentials) credentials = NULL;
  g_autoptr(OipOzonClient) client = NULL;

  credentials = oip_application_lookup_credentials_finish (OIP_APPLICATION (source), result, &error);
  if (credentials != NULL)
    client = oip_application_create_client (get_app (self), credentials->client_id,
                                            credentials->api_key, &error);
  if (client == NULL)
    {
      set_busy (self, FALSE);
      oip_window_show_error (self, error);
      return;
    }
  download_with_client (self, client);
}

static void
download_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  OipWindow *self = OIP_WINDOW (widget);

  if (self->busy)
    return;
  check_identifier (self);
  if (gtk_widget_has_css_class (GTK_WIDGET (self->id_row), "oip-invalid-id"))
    return;
  show_lookup_error (self, NULL);
  set_busy (self, TRUE);

  if (oip_application_is_demo (get_app (self)))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OipOzonClient) client = oip_application_create_client (get_app (self), NULL, NULL, &error);

      if (client == NULL)
        {
          set_busy (self, FALSE);
          oip_window_show_error (self, error);
          return;
        }
      download_with_client (self, client);
      return;
    }

  oip_application_lookup_credentials_async (get_app (self), self->cancellable, on_credentials, g_object_ref (self));
}

static void
cancel_download_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  OipWindow *self = OIP_WINDOW (widget);

  if (self->download_cancellable != NULL)
    g_cancellable_cancel (self->download_cancellable);
}

/* The window's keys, shown by Ctrl+? (win.show-shortcuts). */
static const OipShortcut window_shortcuts[] = {
  { N_("General"), NULL },
  { N_("Look up a product"), "<Control>l" },
  { N_("Review and push the images"), "<Control>u" },
  { N_("Preferences"), "<Control>comma" },
  { N_("Show keyboard shortcuts"), "<Control>question" },
  { N_("Push history of all products"), "<Control>h" },
  { N_("Quit"), "<Control>q" },
  { N_("Images to Push"), NULL },
  { N_("Add pictures from this computer"), "<Control>o" },
  { N_("Move the selected image earlier"), "<Alt>Left <Alt>Up" },
  { N_("Move the selected image later"), "<Alt>Right <Alt>Down" },
  { N_("Make it the main image"), "<Control>m" },
  { N_("Make it the color image, or not"), "<Control>k" },
  { N_("Remove it"), "Delete" },
};

static void
show_shortcuts_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  oip_show_shortcuts (widget, window_shortcuts, G_N_ELEMENTS (window_shortcuts));
}

static void
focus_lookup_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (OIP_WINDOW (widget)->id_row));
}

static void
on_credentials_checked (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(OipWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipCredentials) credentials = NULL;

  credentials = oip_application_lookup_credentials_finish (OIP_APPLICATION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The seed's “Ozon API 凭证未配置”, before the seller hits it. */
  if (g_error_matches (error, OIP_ERROR, OIP_ERROR_CREDENTIALS_MISSING))
    gtk_label_set_text (self->banner_label, _("Ozon API credentials are not configured. Add your Client ID and API Key in Preferences."));
  else if (error != NULL)
    gtk_label_set_text (self->banner_label, error->message);
  gtk_revealer_set_reveal_child (self->banner_revealer, credentials == NULL);
}

static void
check_credentials (OipWindow *self)
{
  if (oip_application_is_demo (get_app (self)))
    return;
  oip_application_lookup_credentials_async (get_app (self), self->cancellable, on_credentials_checked, g_object_ref (self));
}

/**
 * oip_window_is_banner_shown:
 *
 * Returns: whether the window says that credentials are missing or the
 *   keyring cannot be reached
 */
gboolean
oip_window_is_banner_shown (OipWindow *self)
{
  g_return_val_if_fail (OIP_IS_WINDOW (self), FALSE);
  return gtk_revealer_get_reveal_child (self->banner_revealer);
}

static void
on_id_changed (OipWindow *self)
{
  check_identifier (self);
}

static void
on_key_changed (OipWindow *self)
{
  check_identifier (self);
}

static void
on_id_activated (OipWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.download", NULL);
}

static void
on_recent_activated (OipWindow     *self,
                     GtkListBoxRow *row)
{
  request_show_product (self, g_object_get_data (G_OBJECT (row), "product"));
}

static void
save_window_state (OipWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", MAX (width, 360));
  g_settings_set_int (self->settings, "window-height", MAX (height, 294));
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
oip_window_close_request (GtkWindow *window)
{
  OipWindow *self = OIP_WINDOW (window);

  if (self->closing)
    {
      if (!oip_draft_store_is_idle (get_drafts (self)))
        {
          close_after_flush (self);
          return TRUE;
        }
      return GTK_WINDOW_CLASS (oip_window_parent_class)->close_request (window);
    }

  /* A push under way is the dialog's to stop: it asks first. */
  if (self->upload_dialog != NULL &&
      oip_upload_dialog_is_pushing (OIP_UPLOAD_DIALOG (oip_dialog_get_content (self->upload_dialog))))
    {
      oip_dialog_close (self->upload_dialog);
      return TRUE;
    }

  save_window_state (self);
  if (oip_window_has_unpushed_changes (self))
    {
      ask_unpushed (self, ASK_CLOSE);
      return TRUE;
    }
  /* Whatever is still being written gets to the disk first. */
  if (!oip_draft_store_is_idle (get_drafts (self)))
    {
      close_after_flush (self);
      return TRUE;
    }
  return GTK_WINDOW_CLASS (oip_window_parent_class)->close_request (window);
}

static void
oip_window_dispose (GObject *object)
{
  OipWindow *self = (OipWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_weak_pointer (&self->upload_dialog);
  g_clear_weak_pointer (&self->history_dialog);
  g_clear_weak_pointer (&self->last_toast);
  if (self->product != NULL)
    g_signal_handlers_disconnect_by_data (self->product, self);
  g_clear_object (&self->product);
  g_clear_object (&self->pending_product);
  gtk_widget_dispose_template (GTK_WIDGET (self), OIP_TYPE_WINDOW);
  g_clear_object (&self->images);
  g_clear_object (&self->push_filter);
  g_clear_object (&self->color_filter);

  G_OBJECT_CLASS (oip_window_parent_class)->dispose (object);
}

static void
oip_window_finalize (GObject *object)
{
  OipWindow *self = (OipWindow *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->download_cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->removals, g_ptr_array_unref);

  G_OBJECT_CLASS (oip_window_parent_class)->finalize (object);
}

static void
oip_window_class_init (OipWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = oip_window_dispose;
  object_class->finalize = oip_window_finalize;
  window_class->close_request = oip_window_close_request;

  g_type_ensure (OIP_TYPE_STATUS_BLOCK);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ozonpush/OzonImagePush/oip-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OipWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, upload_button);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, demo_label);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, key_row);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, id_row);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, lookup_error);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, busy_box);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, busy_label);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, product_stack);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, empty_status);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, product_row);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, current_flow);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, no_current_label);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, push_group);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, add_row);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, push_flow);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, color_box);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, color_hint);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, color_flow);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, push_hint);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, recent_group);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, recent_list);
  gtk_widget_class_bind_template_callback (widget_class, on_id_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_id_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_recent_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_add_apply);

  gtk_widget_class_install_action (widget_class, "win.download", NULL, download_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-download", NULL, cancel_download_action);
  gtk_widget_class_install_action (widget_class, "win.focus-lookup", NULL, focus_lookup_action);
  gtk_widget_class_install_action (widget_class, "win.show-shortcuts", NULL, show_shortcuts_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.focus-lookup", NULL);
  gtk_widget_class_install_action (widget_class, "win.upload", NULL, upload_action);
  gtk_widget_class_install_action (widget_class, "win.reset-images", NULL, reset_images_action);
  gtk_widget_class_install_action (widget_class, "win.discard-draft", NULL, discard_draft_action);
  gtk_widget_class_install_action (widget_class, "win.add-files", NULL, add_files_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.add-files", NULL);
  gtk_widget_class_install_action (widget_class, "win.image-main", "s", image_action);
  gtk_widget_class_install_action (widget_class, "win.image-color", "s", image_action);
  gtk_widget_class_install_action (widget_class, "win.image-earlier", "s", image_action);
  gtk_widget_class_install_action (widget_class, "win.image-later", "s", image_action);
  gtk_widget_class_install_action (widget_class, "win.image-remove", "s", image_action);
  gtk_widget_class_install_action (widget_class, "win.undo-remove", "u", undo_remove_action);
  gtk_widget_class_install_action (widget_class, "win.undo-push", "x", undo_push_action);
  gtk_widget_class_install_action (widget_class, "win.show-history", NULL, show_history_action);
  gtk_widget_class_install_action (widget_class, "win.show-product-history", NULL, show_product_history_action);
}

static void
oip_window_init (OipWindow *self)
{
  GtkFilterListModel *shown;

  gtk_widget_init_template (GTK_WIDGET (self));
  oip_widget_prepare_buttons (GTK_WIDGET (self));
  g_signal_connect_object (self->key_row, "notify::selected", G_CALLBACK (on_key_changed), self, G_CONNECT_SWAPPED);

  self->cancellable = g_cancellable_new ();
  self->removals = g_ptr_array_new_with_free_func ((GDestroyNotify) removal_free);
  self->settings = oip_settings_new ();
  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }

  if (g_str_equal (PROFILE, "Devel"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  gtk_stack_set_visible_child_name (self->product_stack, "empty");

  /* The numbered images in the grid, the color image in its own slot. */
  self->images = oip_image_list_new ();
  self->push_filter = GTK_FILTER (gtk_custom_filter_new (is_color_item, GINT_TO_POINTER (FALSE), NULL));
  self->color_filter = GTK_FILTER (gtk_custom_filter_new (is_color_item, GINT_TO_POINTER (TRUE), NULL));
  shown = gtk_filter_list_model_new (g_object_ref (oip_image_list_get_model (self->images)),
                                     g_object_ref (self->push_filter));
  gtk_flow_box_bind_model (self->push_flow, G_LIST_MODEL (shown), create_push_tile, self, NULL);
  g_object_unref (shown);
  shown = gtk_filter_list_model_new (g_object_ref (oip_image_list_get_model (self->images)),
                                     g_object_ref (self->color_filter));
  gtk_flow_box_bind_model (self->color_flow, G_LIST_MODEL (shown), create_push_tile, self, NULL);
  g_object_unref (shown);
  g_signal_connect_object (self->images, "changed", G_CALLBACK (on_images_changed), self, G_CONNECT_SWAPPED);

  {
    GtkDropTarget *target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY | GDK_ACTION_MOVE);
    GType types[] = { G_TYPE_STRING, GDK_TYPE_FILE_LIST };
    GtkShortcutController *shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());

    gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
    g_signal_connect (target, "drop", G_CALLBACK (on_flow_drop), self);
    gtk_widget_add_controller (GTK_WIDGET (self->push_group), GTK_EVENT_CONTROLLER (target));

    /* Every image action from the keyboard, on the focused tile. */
    add_tile_shortcut (shortcuts, GDK_KEY_Delete, 0, "win.image-remove", self);
    add_tile_shortcut (shortcuts, GDK_KEY_KP_Delete, 0, "win.image-remove", self);
    add_tile_shortcut (shortcuts, GDK_KEY_BackSpace, 0, "win.image-remove", self);
    add_tile_shortcut (shortcuts, GDK_KEY_Left, GDK_ALT_MASK, "win.image-earlier", self);
    add_tile_shortcut (shortcuts, GDK_KEY_Up, GDK_ALT_MASK, "win.image-earlier", self);
    add_tile_shortcut (shortcuts, GDK_KEY_Right, GDK_ALT_MASK, "win.image-later", self);
    add_tile_shortcut (shortcuts, GDK_KEY_Down, GDK_ALT_MASK, "win.image-later", self);
    add_tile_shortcut (shortcuts, GDK_KEY_m, GDK_CONTROL_MASK, "win.image-main", self);
    add_tile_shortcut (shortcuts, GDK_KEY_k, GDK_CONTROL_MASK, "win.image-color", self);
    gtk_widget_add_controller (GTK_WIDGET (self->push_group), GTK_EVENT_CONTROLLER (shortcuts));
    add_flow_keys (self, self->push_flow);
    add_flow_keys (self, self->color_flow);

    /* Ctrl+U from anywhere, entries included (their own Ctrl+U deletes
     * the line): caught before the focused widget sees it. */
    shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
    gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (shortcuts), GTK_PHASE_CAPTURE);
    gtk_shortcut_controller_add_shortcut (shortcuts,
      gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_u, GDK_CONTROL_MASK),
                        gtk_named_action_new ("win.upload")));
    gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (shortcuts));
  }

  on_images_changed (self);
  set_busy (self, FALSE);
}

static void
on_active_changed (GtkWindow       *window,
                   GParamSpec      *pspec,
                   OipProductStore *store)
{
  if (gtk_window_is_active (window))
    oip_product_store_refresh_recent (store);
}

OipWindow *
oip_window_new (OipApplication *application)
{
  OipWindow *self = g_object_new (OIP_TYPE_WINDOW, "application", application, NULL);
  GListModel *products = oip_product_store_get_recent (oip_application_get_store (application));

  if (oip_application_is_demo (application))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->demo_label), TRUE);
      gtk_label_set_text (self->window_title, _("Ozon Image Push (Demo)"));
    }

  g_signal_connect_object (application, "credentials-changed", G_CALLBACK (check_credentials),
                           self, G_CONNECT_SWAPPED);
  check_credentials (self);

  /* Products another window or ozon-push downloaded meanwhile. */
  g_signal_connect_object (self, "notify::is-active", G_CALLBACK (on_active_changed),
                           oip_application_get_store (application), 0);
  gtk_list_box_bind_model (self->recent_list, products, create_recent_row, NULL, NULL);
  g_signal_connect_object (products, "items-changed", G_CALLBACK (on_recent_changed), self, 0);
  on_recent_changed (products, 0, 0, 0, self);

  /* The keyboard starts where the work starts: the identifier. */
  gtk_widget_grab_focus (GTK_WIDGET (self->id_row));

  /* Edits not pushed when the app last stopped come back. */
  oip_draft_store_load_latest_async (oip_application_get_drafts (application), self->cancellable,
                                     on_latest_draft, g_object_ref (self));
  return self;
}

static void
on_product_images (OipProduct *product,
                   GParamSpec *pspec,
                   OipWindow  *self)
{
  show_product (self, product, NULL);
}

static void
show_product (OipWindow      *self,
              OipProduct     *product,
              const OipDraft *draft)
{
  const char * const *images;
  g_autofree char *product_id = NULL;
  g_autofree char *sku = NULL;
  g_autoptr(GListStore) current = g_list_store_new (OIP_TYPE_IMAGE_ITEM);
  g_autoptr(OipProduct) keep = g_object_ref (product);
  gboolean same_product;

  /* Downloaded again, it is a new object but the same product. */
  same_product = self->product != NULL &&
                 oip_product_get_product_id (self->product) == oip_product_get_product_id (product);
  if (self->product != product)
    {
      if (self->product != NULL)
        g_signal_handlers_disconnect_by_data (self->product, self);
      g_set_object (&self->product, product);
      g_signal_connect_object (product, "notify::images", G_CALLBACK (on_product_images), self, 0);
      g_signal_connect_object (product, "notify::color-image", G_CALLBACK (on_product_images), self, 0);
    }
  product_id = g_strdup_printf ("%" G_GINT64_FORMAT, oip_product_get_product_id (product));
  sku = oip_product_get_sku (product) > 0
        ? g_strdup_printf ("%" G_GINT64_FORMAT, oip_product_get_sku (product))
        : g_strdup (_("Not set"));

  {
    const char *name = oip_product_get_name (product);
    g_autofree char *ids = g_strdup_printf (_("Offer ID: %s · SKU: %s · Product ID: %s"),
                                            oip_product_get_offer_id (product), sku, product_id);

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->product_row),
                                   name && *name ? name : oip_product_get_offer_id (product));
    adw_action_row_set_subtitle (self->product_row, ids);
  }

  images = oip_product_get_images (product);
  for (guint i = 0; images[i] != NULL; i++)
    {
      g_autoptr(OipImageItem) item = oip_image_item_new (images[i]);

      oip_image_item_set_placement (item, i + 1, i == 0, FALSE, FALSE);
      g_list_store_append (current, item);
    }
  if (oip_product_get_color_image (product) != NULL)
    {
      g_autoptr(OipImageItem) item = oip_image_item_new (oip_product_get_color_image (product));

      oip_image_item_set_placement (item, 0, FALSE, TRUE, FALSE);
      g_list_store_append (current, item);
    }
  gtk_flow_box_bind_model (self->current_flow, G_LIST_MODEL (current), create_current_tile, NULL, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->no_current_label), g_list_model_get_n_items (G_LIST_MODEL (current)) == 0);

  /* A fresh download starts the list over, or from the product's draft; a
   * push of this very product (which updated its images) keeps what the
   * seller arranged, and drops the draft once Ozon has it. */
  if (!same_product)
    {
      self->has_draft = FALSE;
      oip_image_list_reset (self->images, product);
      if (draft != NULL)
        {
          apply_draft (self, draft);
          show_restored_toast (self);
        }
      else
        {
          DraftLoad *load = g_new0 (DraftLoad, 1);

          load->self = g_object_ref (self);
          load->product = g_object_ref (product);
          load->serial = self->draft_serial;
          oip_draft_store_load_async (get_drafts (self), oip_product_get_product_id (product), self->cancellable,
                                      on_draft_loaded, load);
        }
    }
  else
    update_draft (self);
  update_actions (self);
  gtk_stack_set_visible_child_name (self->product_stack, "product");
}

/**
 * oip_window_show_product:
 *
 * Shows @product's ids and its current images on Ozon, main image first,
 * with the seller's unpushed edits of it if there are any. Unpushed
 * edits of the product shown before are asked about first.
 */
void
oip_window_show_product (OipWindow  *self,
                         OipProduct *product)
{
  g_return_if_fail (OIP_IS_WINDOW (self));
  g_return_if_fail (OIP_IS_PRODUCT (product));

  request_show_product (self, product);
}

/**
 * oip_window_get_product:
 *
 * Returns: (transfer none) (nullable): the product shown
 */
OipProduct *
oip_window_get_product (OipWindow *self)
{
  g_return_val_if_fail (OIP_IS_WINDOW (self), NULL);
  return self->product;
}

/**
 * oip_window_has_unpushed_changes:
 *
 * Returns: whether the images to push differ from the product's images on
 *   Ozon
 */
gboolean
oip_window_has_unpushed_changes (OipWindow *self)
{
  g_return_val_if_fail (OIP_IS_WINDOW (self), FALSE);
  return self->product != NULL && !list_matches_product (self);
}

/**
 * oip_window_show_error:
 *
 * Tells the seller what went wrong and what to do about it. Cancellation
 * is the seller's own doing and is not reported.
 */
void
oip_window_show_error (OipWindow    *self,
                       const GError *error)
{
  g_return_if_fail (OIP_IS_WINDOW (self));

  oip_gui_show_error (GTK_WIDGET (self), error);
}

/**
 * oip_window_get_images:
 *
 * Returns: (transfer none): the images the seller is about to push
 */
OipImageList *
oip_window_get_images (OipWindow *self)
{
  g_return_val_if_fail (OIP_IS_WINDOW (self), NULL);
  return self->images;
}

/**
 * oip_window_get_upload_dialog:
 *
 * Returns: (transfer none) (nullable): the Upload dialog's content, while
 *   it is open
 */
OipUploadDialog *
oip_window_get_upload_dialog (OipWindow *self)
{
  g_return_val_if_fail (OIP_IS_WINDOW (self), NULL);
  if (self->upload_dialog == NULL)
    return NULL;
  return OIP_UPLOAD_DIALOG (oip_dialog_get_content (self->upload_dialog));
}

/**
 * oip_window_get_history_view:
 *
 * Returns: (transfer none) (nullable): the History view, while it is open
 */
OipHistoryView *
oip_window_get_history_view (OipWindow *self)
{
  g_return_val_if_fail (OIP_IS_WINDOW (self), NULL);
  if (self->history_dialog == NULL)
    return NULL;
  return OIP_HISTORY_VIEW (oip_dialog_get_content (self->history_dialog));
}

/**
 * oip_window_get_toast:
 *
 * Returns: (transfer none) (nullable): the toast shown last, while it is
 *   shown: for tests, which press its button
 */
AdwToast *
oip_window_get_toast (OipWindow *self)
{
  g_return_val_if_fail (OIP_IS_WINDOW (self), NULL);
  return self->last_toast;
}
