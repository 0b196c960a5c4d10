/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "oip-image-tile.h"
#include "oip-ozon-messages.h"
#include "oip-thumbnail-loader.h"

/**
 * OipImageTile:
 *
 * One image as a tile: its thumbnail, its number, whether it is the main
 * or the color image, and its state (loading, loaded, cannot load, invalid
 * URL, beyond the limit). An editable tile has a menu of `win.image-*`
 * actions (the URL is the target), can be dragged to reorder, and takes
 * drops; #OipImageTile::dropped says what was dropped on it.
 *
 * The thumbnail is loaded while the tile is mapped and the load is
 * cancelled when it goes away; a picture that does not load says so on
 * its item (#OipImageItem:load-error), for the review. A small tile
 * (oip_image_tile_set_small()) is a thumbnail with its number only, for
 * lists of images such as the history's.
 */
struct _OipImageTile
{
  GtkWidget     parent_instance;

  GtkWidget    *box;
  GtkPicture   *picture;
  GtkImage     *state_icon;
  GtkLabel     *number_badge;
  GtkLabel     *main_badge;
  GtkLabel     *color_badge;
  GtkOverlay   *frame;
  GtkMenuButton *menu_button;  /* editable tiles only */
  GtkLabel     *caption;

  OipImageItem *item;
  GSimpleActionGroup *actions;
  gboolean      editable;
  gboolean      last;
  gboolean      small;
  OipTileState  state;
  char         *load_error;
  char         *note;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (OipImageTile, oip_image_tile, GTK_TYPE_WIDGET)

enum {
  DROPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Tiles show a 3:4 picture, Ozon's recommended shape. */
#define TILE_WIDTH 120
#define TILE_HEIGHT 160
#define SMALL_WIDTH 48
#define SMALL_HEIGHT 64

/* What the tile is called: a local file by its name, a web address by the
 * last part of its path. */
static char *
display_name (OipImageItem *item)
{
  const char *url = oip_image_item_get_url (item);
  g_autofree char *path = oip_image_item_is_local (item) ? g_filename_from_uri (url, NULL, NULL) : NULL;
  g_autofree char *base = g_path_get_basename (path ? path : url);
  g_autofree char *unescaped = path ? NULL : g_uri_unescape_string (base, NULL);

  if (path != NULL)
    return g_filename_display_name (base);
  return g_strdup (unescaped && g_utf8_validate (unescaped, -1, NULL) ? unescaped : base);
}

/* The menu offers only what makes sense for this image. */
static void
update_actions (OipImageTile *self)
{
  gboolean valid = oip_image_item_is_valid (self->item);
  gboolean color = oip_image_item_get_is_color (self->item);
  gboolean main = oip_image_item_get_is_main (self->item);
  struct { const char *name; gboolean enabled; } states[] = {
    { "main", valid && !color && !main },
    { "color", valid || color },
    { "earlier", !color && !main },
    { "later", !color && !self->last },
    { "remove", TRUE },
  };

  if (self->actions == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), states[i].name)),
                                 states[i].enabled);
}

static void
update (OipImageTile *self)
{
  gboolean over_limit = oip_image_item_get_over_limit (self->item);
  guint number = oip_image_item_get_number (self->item);
  g_autofree char *number_text = number > 0 ? g_strdup_printf ("%u", number) : NULL;
  const char *caption = NULL;
  const char *icon = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *progress = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->main_badge), !self->small && oip_image_item_get_is_main (self->item));
  gtk_widget_set_visible (GTK_WIDGET (self->color_badge), !self->small && oip_image_item_get_is_color (self->item));
  gtk_widget_set_visible (GTK_WIDGET (self->number_badge), number > 0);
  gtk_label_set_text (self->number_badge, number_text ? number_text : "");

  switch (self->state)
    {
    case OIP_TILE_INVALID:
      caption = _("Invalid URL");
      icon = "dialog-warning-symbolic";
      break;
    case OIP_TILE_FAILED:
      caption = _("Cannot load");
      icon = "image-missing-symbolic";
      break;
    case OIP_TILE_LOADING:
      /* A still icon, not a spinner: thirty spinners redraw the window at
       * every frame, which software rendering pays for in CPU and memory. */
      caption = _("Loading…");
      icon = "content-loading-symbolic";
      break;
    case OIP_TILE_LOADED:
    default:
      break;
    }

  if (over_limit)
    caption = _("Over the limit: not sent");
  if (self->note != NULL)
    caption = self->note;

  /* Where the image stands in a push, live. */
  switch (oip_image_item_get_state (self->item))
    {
    case OIP_IMAGE_STATE_CHECKING:
      caption = _("Checking…");
      break;
    case OIP_IMAGE_STATE_UPLOADING:
      /* Translators: %d is a percentage */
      progress = g_strdup_printf (_("Uploading… %d%%"), (int) (oip_image_item_get_progress (self->item) * 100));
      caption = progress;
      break;
    case OIP_IMAGE_STATE_UPLOADED:
      caption = _("Uploaded");
      break;
    case OIP_IMAGE_STATE_SENT:
      caption = _("Sent to Ozon");
      break;
    case OIP_IMAGE_STATE_IMPORTING:
      caption = _("Ozon is importing…");
      break;
    case OIP_IMAGE_STATE_IMPORTED:
      caption = _("Imported");
      icon = "object-select-symbolic";
      break;
    case OIP_IMAGE_STATE_SKIPPED:
      caption = _("Already on Ozon");
      break;
    case OIP_IMAGE_STATE_FAILED:
      /* Ozon's words explained when they are known; the original is in
       * the tooltip. */
      caption = oip_ozon_message_translate (oip_image_item_get_ozon_message (self->item), NULL);
      if (caption == NULL)
        caption = oip_image_item_get_error (self->item) ? oip_image_item_get_error (self->item) : _("Failed");
      icon = "dialog-error-symbolic";
      break;
    case OIP_IMAGE_STATE_NONE:
    case OIP_IMAGE_STATE_QUEUED:
    case OIP_IMAGE_STATE_NOT_SENT:
    default:
      break;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->state_icon), icon != NULL);
  gtk_image_set_pixel_size (self->state_icon, self->small ? 16 : 32);
  if (icon != NULL)
    gtk_image_set_from_icon_name (self->state_icon, icon);

  {
    g_autofree char *name = display_name (self->item);
    g_autofree char *label = NULL;

    gtk_label_set_text (self->caption, caption ? caption : name);
    gtk_widget_set_visible (GTK_WIDGET (self->caption), !self->small);
    if (oip_image_item_get_is_color (self->item))
      /* Translators: a tile's name for screen readers; %s is its file name */
      label = g_strdup_printf (_("Color image: %s"), name);
    else if (number > 0)
      /* Translators: a tile's name for screen readers: its number, its file name */
      label = g_strdup_printf (_("Image %u: %s"), number, name);
    else
      label = g_strdup_printf (_("Image: %s"), name);
    /* A small tile's state is not written under it: it is part of its name. */
    if (self->small && caption != NULL)
      {
        g_autofree char *whole = g_strdup_printf ("%s (%s)", label, caption);

        g_free (label);
        label = g_steal_pointer (&whole);
      }
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  }

  if (over_limit || self->state == OIP_TILE_INVALID || self->state == OIP_TILE_FAILED ||
      oip_image_item_get_state (self->item) == OIP_IMAGE_STATE_FAILED)
    gtk_widget_add_css_class (GTK_WIDGET (self), "oip-tile-problem");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "oip-tile-problem");
  gtk_widget_set_opacity (GTK_WIDGET (self->picture), over_limit ? 0.4 : 1.0);

  {
    g_autofree char *where = oip_image_item_is_local (self->item)
                             ? g_filename_from_uri (oip_image_item_get_url (self->item), NULL, NULL) : NULL;
    g_autoptr(GString) text = g_string_new (where ? where : oip_image_item_get_url (self->item));

    /* The whole caption, which may be cut on the tile. */
    if (caption != NULL)
      g_string_append_printf (text, "\n%s", caption);
    if (self->load_error != NULL)
      g_string_append_printf (text, "\n%s", self->load_error);
    if (oip_image_item_get_state (self->item) == OIP_IMAGE_STATE_FAILED &&
        oip_image_item_get_ozon_message (self->item) != NULL)
      g_string_append_printf (text, "\n%s", oip_image_item_get_ozon_message (self->item));
    if (oip_image_item_get_hint (self->item) != NULL)
      g_string_append_printf (text, "\n%s", oip_image_item_get_hint (self->item));
    if (oip_image_item_is_local (self->item) && self->note == NULL && !self->small)
      g_string_append_printf (text, "\n%s", _("A picture on this computer: it is uploaded to your storage when you push."));
    tooltip = g_string_free (g_steal_pointer (&text), FALSE);
  }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);
  update_actions (self);
}

static void
on_thumbnail (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(OipImageTile) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = oip_thumbnail_loader_load_finish (OIP_THUMBNAIL_LOADER (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (texture != NULL)
    {
      gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
      self->state = OIP_TILE_LOADED;
      g_clear_pointer (&self->load_error, g_free);
    }
  else
    {
      g_free (self->load_error);
      self->load_error = g_strdup (error->message);
      self->state = OIP_TILE_FAILED;
    }
  /* Said on the image itself, so the review can warn before a push. */
  oip_image_item_set_load_error (self->item, self->load_error);
  update (self);
}

static void
on_preloaded (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = oip_thumbnail_loader_load_finish (OIP_THUMBNAIL_LOADER (source), result, &error);

  if (texture != NULL)
    g_task_return_pointer (task, NULL, NULL);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * oip_image_tile_preload_async:
 * @scale: the scale factor of the tiles that will show it
 *
 * Loads the thumbnail a tile of @item loads, now rather than once the tile
 * is scrolled into view: the review warns about every address that does
 * not load, seen or not. A tile shown later finds it in memory. Local
 * files are left to the push job's own check (they succeed here).
 */
void
oip_image_tile_preload_async (OipImageItem        *item,
                              int                  scale,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (OIP_IS_IMAGE_ITEM (item));

  g_task_set_source_tag (task, oip_image_tile_preload_async);
  if (oip_image_item_is_local (item) || !oip_image_item_is_valid (item))
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  oip_thumbnail_loader_load_async (oip_thumbnail_loader_get_default (), oip_image_item_get_url (item),
                                   TILE_HEIGHT * scale, cancellable, on_preloaded, g_steal_pointer (&task));
}

/**
 * oip_image_tile_preload_finish:
 *
 * Returns: whether the picture loaded; @error says why not
 */
gboolean
oip_image_tile_preload_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_task_propagate_pointer (G_TASK (result), error);
  return error == NULL || *error == NULL;
}

static void
oip_image_tile_map (GtkWidget *widget)
{
  OipImageTile *self = OIP_IMAGE_TILE (widget);

  GTK_WIDGET_CLASS (oip_image_tile_parent_class)->map (widget);

  if (self->state == OIP_TILE_LOADING)
    {
      int scale = gtk_widget_get_scale_factor (widget);

      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      oip_thumbnail_loader_load_async (oip_thumbnail_loader_get_default (),
                                       oip_image_item_get_url (self->item),
                                       (self->small ? SMALL_HEIGHT : TILE_HEIGHT) * scale, self->cancellable,
                                       on_thumbnail, g_object_ref (self));
    }
}

static void
oip_image_tile_unmap (GtkWidget *widget)
{
  OipImageTile *self = OIP_IMAGE_TILE (widget);

  g_cancellable_cancel (self->cancellable);
  GTK_WIDGET_CLASS (oip_image_tile_parent_class)->unmap (widget);
}

static GdkContentProvider *
on_drag_prepare (GtkDragSource *source,
                 double         x,
                 double         y,
                 OipImageTile  *self)
{
  g_autoptr(GdkPaintable) icon = gtk_widget_paintable_new (GTK_WIDGET (self->picture));

  gtk_drag_source_set_icon (source, icon, (int) x, (int) y);
  return gdk_content_provider_new_typed (G_TYPE_STRING, oip_image_item_get_url (self->item));
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         OipImageTile  *self)
{
  g_autofree char *text = NULL;

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      g_autoptr(GString) uris = g_string_new (NULL);

      for (GSList *l = g_value_get_boxed (value); l != NULL; l = l->next)
        {
          g_autofree char *uri = g_file_get_uri (l->data);

          g_string_append_printf (uris, "%s\n", uri);
        }
      text = g_string_free (g_steal_pointer (&uris), FALSE);
    }
  else
    text = g_value_dup_string (value);

  g_signal_emit (self, signals[DROPPED], 0, text);
  return TRUE;
}

static void
add_menu_item (GMenu      *menu,
               const char *label,
               const char *action,
               const char *accel)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, action);

  /* The key for it, shown in the menu. */
  g_menu_item_set_attribute (item, "accel", "s", accel);
  g_menu_append_item (menu, item);
}

/* The window's `win.image-*` actions for this tile's image, as `tile.*`
 * actions that can be disabled where they make no sense. */
static void
on_tile_action (GSimpleAction *action,
                GVariant      *parameter,
                OipImageTile  *self)
{
  g_autofree char *name = g_strconcat ("win.image-", g_action_get_name (G_ACTION (action)), NULL);

  gtk_widget_activate_action (GTK_WIDGET (self), name, "s", oip_image_item_get_url (self->item));
}

static void
build_menu (OipImageTile *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) roles = g_menu_new ();
  g_autoptr(GMenu) order = g_menu_new ();
  g_autoptr(GMenu) removal = g_menu_new ();
  const char *names[] = { "main", "color", "earlier", "later", "remove" };

  if (self->actions == NULL)
    {
      self->actions = g_simple_action_group_new ();
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autoptr(GSimpleAction) action = g_simple_action_new (names[i], NULL);

          g_signal_connect_object (action, "activate", G_CALLBACK (on_tile_action), self, 0);
          g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (action));
        }
      gtk_widget_insert_action_group (GTK_WIDGET (self), "tile", G_ACTION_GROUP (self->actions));
    }

  add_menu_item (roles, _("Set as _Main Image"), "tile.main", "<Control>m");
  add_menu_item (roles, oip_image_item_get_is_color (self->item) ? _("_Not the Color Image") : _("Use as _Color Image"),
                 "tile.color", "<Control>k");
  add_menu_item (order, _("Move _Earlier"), "tile.earlier", "<Alt>Left");
  add_menu_item (order, _("Move _Later"), "tile.later", "<Alt>Right");
  add_menu_item (removal, _("_Remove"), "tile.remove", "Delete");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (roles));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (order));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (removal));
  gtk_menu_button_set_menu_model (self->menu_button, G_MENU_MODEL (menu));
  update_actions (self);
}

static void
on_item_notify (OipImageTile *self,
                GParamSpec   *pspec)
{
  if (self->editable && g_str_equal (pspec->name, "is-color"))
    build_menu (self);
  update (self);
}

/* Every tile is as wide as the others, whatever the picture's shape: the
 * picture is contained in the frame, the caption wraps or is cut. */
static void
oip_image_tile_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  OipImageTile *self = OIP_IMAGE_TILE (widget);

  gtk_widget_measure (self->box, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = *minimum;
}

static void
oip_image_tile_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  gtk_widget_allocate (OIP_IMAGE_TILE (widget)->box, width, height, baseline, NULL);
}

static void
oip_image_tile_dispose (GObject *object)
{
  OipImageTile *self = (OipImageTile *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OIP_TYPE_IMAGE_TILE);

  G_OBJECT_CLASS (oip_image_tile_parent_class)->dispose (object);
}

static void
oip_image_tile_finalize (GObject *object)
{
  OipImageTile *self = (OipImageTile *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->actions);
  g_clear_object (&self->item);
  g_free (self->load_error);
  g_free (self->note);

  G_OBJECT_CLASS (oip_image_tile_parent_class)->finalize (object);
}

static void
oip_image_tile_class_init (OipImageTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = oip_image_tile_dispose;
  object_class->finalize = oip_image_tile_finalize;
  widget_class->map = oip_image_tile_map;
  widget_class->unmap = oip_image_tile_unmap;
  widget_class->measure = oip_image_tile_measure;
  widget_class->size_allocate = oip_image_tile_size_allocate;

  /**
   * OipImageTile::dropped:
   * @text: an image URL dragged from another tile, or text and URIs
   *   dropped from elsewhere
   */
  signals[DROPPED] = g_signal_new ("dropped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ozonpush/OzonImagePush/oip-image-tile.ui");
  gtk_widget_class_bind_template_child (widget_class, OipImageTile, box);
  gtk_widget_class_bind_template_child (widget_class, OipImageTile, picture);
  gtk_widget_class_bind_template_child (widget_class, OipImageTile, state_icon);
  gtk_widget_class_bind_template_child (widget_class, OipImageTile, number_badge);
  gtk_widget_class_bind_template_child (widget_class, OipImageTile, main_badge);
  gtk_widget_class_bind_template_child (widget_class, OipImageTile, color_badge);
  gtk_widget_class_bind_template_child (widget_class, OipImageTile, frame);
  gtk_widget_class_bind_template_child (widget_class, OipImageTile, caption);
  gtk_widget_class_set_css_name (widget_class, "oip-image-tile");
}

static void
oip_image_tile_init (OipImageTile *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_size_request (GTK_WIDGET (self->picture), TILE_WIDTH, TILE_HEIGHT);
}

/**
 * oip_image_tile_new:
 * @item: the image
 * @editable: whether the tile has the actions menu and drag and drop
 */
GtkWidget *
oip_image_tile_new (OipImageItem *item,
                    gboolean      editable)
{
  OipImageTile *self;

  g_return_val_if_fail (OIP_IS_IMAGE_ITEM (item), NULL);

  self = g_object_new (OIP_TYPE_IMAGE_TILE, NULL);
  self->item = g_object_ref (item);
  self->editable = editable;
  self->state = oip_image_item_is_valid (item) ? OIP_TILE_LOADING : OIP_TILE_INVALID;
  g_signal_connect_object (item, "notify", G_CALLBACK (on_item_notify), self, G_CONNECT_SWAPPED);

  if (editable)
    {
      GtkDragSource *source = gtk_drag_source_new ();
      GtkDropTarget *target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY | GDK_ACTION_MOVE);
      GType types[] = { G_TYPE_STRING, GDK_TYPE_FILE_LIST };

      /* Only a tile that can be changed has the menu: a review tile has no
       * hidden button inside it. */
      self->menu_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
      gtk_widget_set_halign (GTK_WIDGET (self->menu_button), GTK_ALIGN_END);
      gtk_widget_set_valign (GTK_WIDGET (self->menu_button), GTK_ALIGN_START);
      gtk_widget_set_margin_end (GTK_WIDGET (self->menu_button), 4);
      gtk_widget_set_margin_top (GTK_WIDGET (self->menu_button), 4);
      gtk_menu_button_set_icon_name (self->menu_button, "view-more-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), _("Image Actions"));
      gtk_widget_add_css_class (GTK_WIDGET (self->menu_button), "circular");
      gtk_widget_add_css_class (GTK_WIDGET (self->menu_button), "oip-tile-menu");
      gtk_overlay_add_overlay (self->frame, GTK_WIDGET (self->menu_button));
      build_menu (self);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Image actions"), -1);
      gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
      g_signal_connect (source, "prepare", G_CALLBACK (on_drag_prepare), self);
      gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (source));
      gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
      g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
      gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
    }

  update (self);
  return GTK_WIDGET (self);
}

/**
 * oip_image_tile_get_item:
 *
 * Returns: (transfer none): the image
 */
OipImageItem *
oip_image_tile_get_item (OipImageTile *self)
{
  g_return_val_if_fail (OIP_IS_IMAGE_TILE (self), NULL);
  return self->item;
}

OipTileState
oip_image_tile_get_state (OipImageTile *self)
{
  g_return_val_if_fail (OIP_IS_IMAGE_TILE (self), OIP_TILE_LOADING);
  return self->state;
}

/**
 * oip_image_tile_get_caption:
 *
 * Returns: the text under the picture: the state, or the file name
 */
const char *
oip_image_tile_get_caption (OipImageTile *self)
{
  g_return_val_if_fail (OIP_IS_IMAGE_TILE (self), NULL);
  return gtk_label_get_text (self->caption);
}

/**
 * oip_image_tile_set_note:
 * @note: (nullable): a problem to show instead of the file name, such as
 *   Ozon's error for this picture
 */
void
oip_image_tile_set_note (OipImageTile *self,
                         const char   *note)
{
  g_return_if_fail (OIP_IS_IMAGE_TILE (self));
  g_free (self->note);
  self->note = g_strdup (note);
  update (self);
}

/**
 * oip_image_tile_set_small:
 *
 * Shows the image as a small thumbnail (its number, no caption), for lists
 * of images. Set it before the tile is shown.
 */
void
oip_image_tile_set_small (OipImageTile *self,
                          gboolean      small)
{
  g_return_if_fail (OIP_IS_IMAGE_TILE (self));
  self->small = small;
  gtk_widget_set_size_request (GTK_WIDGET (self->picture),
                               small ? SMALL_WIDTH : TILE_WIDTH, small ? SMALL_HEIGHT : TILE_HEIGHT);
  gtk_widget_set_visible (GTK_WIDGET (self->main_badge), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->color_badge), FALSE);
  if (small)
    gtk_widget_add_css_class (GTK_WIDGET (self), "oip-tile-small");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "oip-tile-small");
  update (self);
}

/**
 * oip_image_tile_new_small:
 * @item: the image
 *
 * Returns: a small, read-only tile of @item (oip_image_tile_set_small())
 */
GtkWidget *
oip_image_tile_new_small (OipImageItem *item)
{
  GtkWidget *tile = oip_image_tile_new (item, FALSE);

  oip_image_tile_set_small (OIP_IMAGE_TILE (tile), TRUE);
  return tile;
}

/**
 * oip_image_tile_set_last:
 *
 * Whether the tile is the last of its list: it cannot move later.
 */
void
oip_image_tile_set_last (OipImageTile *self,
                         gboolean      last)
{
  g_return_if_fail (OIP_IS_IMAGE_TILE (self));
  self->last = last;
  update_actions (self);
}

/**
 * oip_image_tile_popup_menu:
 *
 * Opens the tile's menu, as Enter or Space on the tile do.
 */
void
oip_image_tile_popup_menu (OipImageTile *self)
{
  g_return_if_fail (OIP_IS_IMAGE_TILE (self));
  if (self->editable)
    gtk_menu_button_popup (self->menu_button);
}

/**
 * oip_image_tile_get_actions:
 *
 * Returns: (transfer none) (nullable): the `tile.*` actions of its menu
 */
GActionGroup *
oip_image_tile_get_actions (OipImageTile *self)
{
  g_return_val_if_fail (OIP_IS_IMAGE_TILE (self), NULL);
  return G_ACTION_GROUP (self->actions);
}
