/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "oip-image-list.h"
#include "oip-push-plan.h"

/**
 * OipImageList:
 *
 * The images a seller is about to push, in display order. The first
 * image that is not the color image is the main one; at most one image is
 * the color image; images past the 30th are marked as beyond the limit.
 * Every push replaces all of a product's images, so the list starts from
 * the product's current ones.
 *
 * #OipImageList::changed is emitted after every edit.
 */
struct _OipImageList
{
  GObject     parent_instance;

  GListStore *store;
};

G_DEFINE_FINAL_TYPE (OipImageList, oip_image_list, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static OipImageItem *
item_at (OipImageList *self,
         guint         position)
{
  g_autoptr(OipImageItem) item = g_list_model_get_item (G_LIST_MODEL (self->store), position);

  return item; /* the store keeps it */
}

static guint
n_items (OipImageList *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->store));
}

static void
update_placement (OipImageList *self)
{
  guint number = 0;

  for (guint i = 0; i < n_items (self); i++)
    {
      OipImageItem *item = item_at (self, i);
      gboolean is_color = oip_image_item_get_is_color (item);

      if (is_color)
        oip_image_item_set_placement (item, 0, FALSE, TRUE, FALSE);
      else
        {
          number++;
          oip_image_item_set_placement (item, number, number == 1, FALSE, number > OIP_MAX_IMAGES);
        }
    }
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
oip_image_list_dispose (GObject *object)
{
  g_clear_object (&OIP_IMAGE_LIST (object)->store);
  G_OBJECT_CLASS (oip_image_list_parent_class)->dispose (object);
}

static void
oip_image_list_class_init (OipImageListClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = oip_image_list_dispose;

  /**
   * OipImageList::changed:
   *
   * The list or the place of an image in it changed.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
oip_image_list_init (OipImageList *self)
{
  self->store = g_list_store_new (OIP_TYPE_IMAGE_ITEM);
}

OipImageList *
oip_image_list_new (void)
{
  return g_object_new (OIP_TYPE_IMAGE_LIST, NULL);
}

/**
 * oip_image_list_get_model:
 *
 * Returns: (transfer none): the #OipImageItem list, in display order
 */
GListModel *
oip_image_list_get_model (OipImageList *self)
{
  g_return_val_if_fail (OIP_IS_IMAGE_LIST (self), NULL);
  return G_LIST_MODEL (self->store);
}

/**
 * oip_image_list_get_n_images:
 *
 * Returns: how many images there are, the color image not counted
 */
guint
oip_image_list_get_n_images (OipImageList *self)
{
  guint count = 0;

  g_return_val_if_fail (OIP_IS_IMAGE_LIST (self), 0);
  for (guint i = 0; i < n_items (self); i++)
    count += !oip_image_item_get_is_color (item_at (self, i));
  return count;
}

/**
 * oip_image_list_get_color:
 *
 * Returns: (transfer none) (nullable): the color image
 */
OipImageItem *
oip_image_list_get_color (OipImageList *self)
{
  g_return_val_if_fail (OIP_IS_IMAGE_LIST (self), NULL);
  for (guint i = 0; i < n_items (self); i++)
    if (oip_image_item_get_is_color (item_at (self, i)))
      return item_at (self, i);
  return NULL;
}

/**
 * oip_image_list_reset:
 * @product: (nullable): start from its current images; %NULL empties
 */
void
oip_image_list_reset (OipImageList *self,
                      OipProduct   *product)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (OIP_IS_IMAGE_LIST (self));

  if (product != NULL)
    {
      const char * const *images = oip_product_get_images (product);
      const char *color = oip_product_get_color_image (product);

      for (guint i = 0; images[i] != NULL; i++)
        g_ptr_array_add (items, oip_image_item_new (images[i]));
      if (color != NULL)
        {
          OipImageItem *item = oip_image_item_new (color);

          oip_image_item_set_placement (item, 0, FALSE, TRUE, FALSE);
          g_ptr_array_add (items, item);
        }
    }

  g_list_store_splice (self->store, 0, n_items (self), items->pdata, items->len);
  update_placement (self);
}

static gboolean
contains (OipImageList *self,
          const char   *url)
{
  for (guint i = 0; i < n_items (self); i++)
    if (g_str_equal (oip_image_item_get_url (item_at (self, i)), url))
      return TRUE;
  return FALSE;
}

/* A word that is an address of its own: a URL, a path, something/like/this. */
static gboolean
looks_like_address (const char *word)
{
  return strstr (word, "://") != NULL || word[0] == '/' || word[0] == '~' ||
         g_str_has_prefix (word, "file:") || strchr (word, '/') != NULL;
}

/* A path on this computer, as pasted (/home/…, ~/…, file://… with or
 * without escapes), as a file:// URI; anything else as it is. */
static char *
normalize_entry (const char *entry)
{
  g_autofree char *path = NULL;
  char *uri;

  if (entry[0] == '/')
    path = g_strdup (entry);
  else if (g_str_has_prefix (entry, "~/"))
    path = g_build_filename (g_get_home_dir (), entry + 2, NULL);
  else if (g_str_has_prefix (entry, "file://"))
    {
      path = g_filename_from_uri (entry, NULL, NULL);
      if (path == NULL)
        path = g_uri_unescape_string (entry + strlen ("file://"), NULL);
      if (path == NULL || path[0] != '/')
        return g_strdup (entry);
    }
  else
    return g_strdup (entry);

  uri = g_filename_to_uri (path, NULL, NULL);
  return uri ? uri : g_strdup (entry);
}

static gboolean
add_entry (OipImageList *self,
           const char   *entry,
           guint        *added,
           guint        *duplicates)
{
  g_autofree char *url = normalize_entry (entry);
  g_autoptr(OipImageItem) item = NULL;

  if (*url == '\0')
    return FALSE;
  if (contains (self, url))
    {
      (*duplicates)++;
      return FALSE;
    }
  item = oip_image_item_new (url);
  g_list_store_append (self->store, item);
  (*added)++;
  return TRUE;
}

/**
 * oip_image_list_add_text:
 * @text: one or more addresses, one a line or separated by white space, as
 *   pasted or dropped; paths on this computer (`/home/…`, `~/…`,
 *   `file://…`) become local pictures
 * @n_duplicates: (out) (optional): how many were already in the list
 *
 * Appends every address not already in the list. A line whose words are
 * not all addresses is one entry (“not a url” is one problem, not three),
 * and a line that is a path stays whole (paths have spaces). Malformed
 * entries are added too, marked invalid, so the seller sees them and what
 * is wrong.
 *
 * Returns: how many were added
 */
guint
oip_image_list_add_text (OipImageList *self,
                         const char   *text,
                         guint        *n_duplicates)
{
  g_auto(GStrv) lines = NULL;
  guint added = 0;
  guint duplicates = 0;

  g_return_val_if_fail (OIP_IS_IMAGE_LIST (self), 0);
  g_return_val_if_fail (text != NULL, 0);

  lines = g_strsplit_set (text, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = NULL;
      char *line = g_strstrip (lines[i]);
      gboolean all_addresses = TRUE;
      guint n_words = 0;

      if (*line == '\0' || g_str_has_prefix (line, "#"))   /* a text/uri-list comment */
        continue;
      if (line[0] == '/' || g_str_has_prefix (line, "~/") || g_str_has_prefix (line, "file:"))
        {
          add_entry (self, line, &added, &duplicates);
          continue;
        }
      words = g_strsplit_set (line, " \t", -1);
      for (guint j = 0; words[j] != NULL; j++)
        if (*words[j] != '\0')
          {
            n_words++;
            all_addresses &= looks_like_address (words[j]);
          }
      if (n_words > 1 && !all_addresses)
        {
          add_entry (self, line, &added, &duplicates);
          continue;
        }
      for (guint j = 0; words[j] != NULL; j++)
        if (*words[j] != '\0')
          add_entry (self, words[j], &added, &duplicates);
    }

  if (n_duplicates != NULL)
    *n_duplicates = duplicates;
  if (added > 0)
    update_placement (self);
  return added;
}

void
oip_image_list_remove (OipImageList *self,
                       guint         position)
{
  g_return_if_fail (OIP_IS_IMAGE_LIST (self));
  g_return_if_fail (position < n_items (self));

  g_list_store_remove (self->store, position);
  update_placement (self);
}

/**
 * oip_image_list_move:
 * @to: the position the image ends up at
 */
void
oip_image_list_move (OipImageList *self,
                     guint         from,
                     guint         to)
{
  g_autoptr(OipImageItem) item = NULL;

  g_return_if_fail (OIP_IS_IMAGE_LIST (self));
  g_return_if_fail (from < n_items (self));

  to = MIN (to, n_items (self) - 1);
  if (from == to)
    return;
  item = g_object_ref (item_at (self, from));
  g_list_store_remove (self->store, from);
  g_list_store_insert (self->store, to, item);
  update_placement (self);
}

/**
 * oip_image_list_set_main:
 *
 * Makes the image the main one: first in the list (and no longer the
 * color image).
 */
void
oip_image_list_set_main (OipImageList *self,
                         guint         position)
{
  g_return_if_fail (OIP_IS_IMAGE_LIST (self));
  g_return_if_fail (position < n_items (self));

  oip_image_item_set_placement (item_at (self, position), 0, FALSE, FALSE, FALSE);
  if (position == 0)
    update_placement (self);
  else
    oip_image_list_move (self, position, 0);
}

/**
 * oip_image_list_set_color:
 *
 * Makes the image the color image (there is one at most), or an ordinary
 * image again.
 */
void
oip_image_list_set_color (OipImageList *self,
                          guint         position,
                          gboolean      is_color)
{
  g_return_if_fail (OIP_IS_IMAGE_LIST (self));
  g_return_if_fail (position < n_items (self));

  for (guint i = 0; is_color && i < n_items (self); i++)
    if (i != position && oip_image_item_get_is_color (item_at (self, i)))
      oip_image_item_set_placement (item_at (self, i), 0, FALSE, FALSE, FALSE);
  oip_image_item_set_placement (item_at (self, position), 0, FALSE, is_color, FALSE);
  update_placement (self);
}

/**
 * oip_image_list_replace_url:
 *
 * Puts @new_url in the place of @old_url, as the same kind of image: a
 * local file once it is uploaded.
 *
 * Returns: whether @old_url was in the list
 */
gboolean
oip_image_list_replace_url (OipImageList *self,
                            const char   *old_url,
                            const char   *new_url)
{
  g_return_val_if_fail (OIP_IS_IMAGE_LIST (self), FALSE);

  for (guint i = 0; i < n_items (self); i++)
    {
      OipImageItem *old = item_at (self, i);

      if (g_str_equal (oip_image_item_get_url (old), old_url))
        {
          g_autoptr(OipImageItem) item = oip_image_item_new (new_url);

          oip_image_item_set_placement (item, 0, FALSE, oip_image_item_get_is_color (old), FALSE);
          g_list_store_splice (self->store, i, 1, (gpointer *) &item, 1);
          update_placement (self);
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * oip_image_list_to_request:
 *
 * Returns: (transfer full): the seed's push request for the list: images
 *   in order (all of them; the plan truncates and says so), the color
 *   image
 */
OipPushRequest *
oip_image_list_to_request (OipImageList *self,
                           gint64        product_id)
{
  OipPushRequest *request;

  g_return_val_if_fail (OIP_IS_IMAGE_LIST (self), NULL);

  request = oip_push_request_new ();
  request->product_id = product_id;
  for (guint i = 0; i < n_items (self); i++)
    {
      OipImageItem *item = item_at (self, i);

      g_ptr_array_add (oip_image_item_get_is_color (item) ? request->color_images : request->images,
                       g_strdup (oip_image_item_get_url (item)));
    }
  return request;
}
