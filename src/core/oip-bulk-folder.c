/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A photo studio's delivery: a folder of product folders, each named after
 * an offer ID and holding that product's pictures, read into bulk entries.
 *
 * The rules (also in oip_bulk_input_read_folder_async()'s documentation):
 * - Each sub-folder is a product; its name, trimmed, is the offer ID.
 *   Names starting with “.” are hidden and skipped without a word, as are
 *   Thumbs.db and desktop.ini.
 * - Pictures are recognised by their first bytes (JPEG, PNG, WebP, HEIC),
 *   whatever they are called; files are never read further here.
 * - Order: file names, naturally (2.jpg before 10.jpg, case ignored); a
 *   picture named main.* comes first, one named color.* (or colour.*) is the
 *   color image and not among the others. An optional ozon.json says it
 *   explicitly: {"main": "NAME", "color": "NAME", "order": ["NAME", …]};
 *   pictures missing from "order" follow in name order.
 * - Links to files inside a product folder are followed (studios link
 *   shared pictures); links to folders never are (no loops, nothing read
 *   from outside the tree the seller chose).
 * - A folder that holds pictures and no sub-folders is one product, named
 *   after the folder, and the seller is told so.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "oip-bulk-input-private.h"
#include "oip-error.h"
#include "oip-image-check.h"
#include "oip-json.h"

#define SNIFF_BYTES 32

#define CHILD_ATTRIBUTES \
  G_FILE_ATTRIBUTE_STANDARD_NAME "," \
  G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME "," \
  G_FILE_ATTRIBUTE_STANDARD_TYPE "," \
  G_FILE_ATTRIBUTE_STANDARD_IS_SYMLINK "," \
  G_FILE_ATTRIBUTE_STANDARD_SIZE

typedef struct
{
  char      *name;        /* on disk */
  char      *display;     /* UTF-8 */
  GFileType  type;        /* of the link's target for a link to a file */
  gboolean   is_symlink;
  guint64    size;
} Child;

typedef struct
{
  Child          *child;  /* borrowed */
  GFile          *file;
  OipImageFormat  format;
} Picture;

typedef struct
{
  char      *main;
  char      *color;
  GStrv      order;
  GPtrArray *problems;    /* OipBulkProblem for the entry */
} Sidecar;

typedef struct
{
  GFile        *root;
  OipBulkInput *input;
  GHashTable   *seen;     /* offer ID → the folder that gave it */
  GCancellable *cancellable;
} FolderRead;

static void
child_free (Child *child)
{
  g_free (child->name);
  g_free (child->display);
  g_free (child);
}

static void
picture_free (Picture *picture)
{
  g_clear_object (&picture->file);
  g_free (picture);
}

static void
sidecar_free (Sidecar *sidecar)
{
  g_free (sidecar->main);
  g_free (sidecar->color);
  g_strfreev (sidecar->order);
  g_clear_pointer (&sidecar->problems, g_ptr_array_unref);
  g_free (sidecar);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Sidecar, sidecar_free)

static gint
compare_children (gconstpointer a,
                  gconstpointer b)
{
  const Child *ca = *(Child * const *) a;
  const Child *cb = *(Child * const *) b;

  return oip_bulk_natural_compare (ca->display, cb->display);
}

static gboolean
is_skipped_silently (const char *name)
{
  return name[0] == '.' ||
         g_ascii_strcasecmp (name, "Thumbs.db") == 0 ||
         g_ascii_strcasecmp (name, "desktop.ini") == 0;
}

/* The folder's entries in natural order, without hidden ones. */
static GPtrArray *
list_children (GFile         *dir,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func ((GDestroyNotify) child_free);

  enumerator = g_file_enumerate_children (dir, CHILD_ATTRIBUTES, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                          cancellable, error);
  if (enumerator == NULL)
    return NULL;

  for (;;)
    {
      GFileInfo *info = NULL;
      Child *child;

      if (!g_file_enumerator_iterate (enumerator, &info, NULL, cancellable, error))
        return NULL;
      if (info == NULL)
        break;
      if (is_skipped_silently (g_file_info_get_name (info)))
        continue;

      child = g_new0 (Child, 1);
      child->name = g_strdup (g_file_info_get_name (info));
      child->display = g_strdup (g_file_info_get_display_name (info));
      child->type = g_file_info_get_file_type (info);
      child->is_symlink = g_file_info_get_is_symlink (info);
      child->size = g_file_info_get_size (info);
      g_ptr_array_add (children, child);
    }

  g_ptr_array_sort (children, compare_children);
  return g_steal_pointer (&children);
}

/* A link's target: its type and size, or FALSE if it points nowhere. */
static gboolean
follow_link (GFile        *file,
             Child        *child,
             GCancellable *cancellable)
{
  g_autoptr(GFileInfo) info = g_file_query_info (file,
                                                 G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                                 G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                 G_FILE_QUERY_INFO_NONE, cancellable, NULL);

  /* GIO describes a dangling link itself instead of failing. */
  if (info == NULL || g_file_info_get_file_type (info) == G_FILE_TYPE_SYMBOLIC_LINK)
    return FALSE;
  child->type = g_file_info_get_file_type (info);
  child->size = g_file_info_get_size (info);
  return TRUE;
}

static OipImageFormat
sniff (GFile         *file,
       GCancellable  *cancellable,
       GError       **error)
{
  g_autoptr(GFileInputStream) stream = g_file_read (file, cancellable, error);
  guint8 head[SNIFF_BYTES];
  gsize got = 0;

  if (stream == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (stream), head, sizeof head, &got, cancellable, error))
    return OIP_IMAGE_FORMAT_UNKNOWN;
  return oip_image_format_sniff (head, got);
}

static gboolean
named_like_picture (const char *name)
{
  static const char * const extensions[] = { "jpg", "jpeg", "jpe", "png", "webp", "heic", "heif" };
  const char *dot = strrchr (name, '.');

  if (dot == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (g_ascii_strcasecmp (dot + 1, extensions[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Whether the name without its extension is @stem, in any case. */
static gboolean
has_stem (const char *name,
          const char *stem)
{
  const char *dot = strrchr (name, '.');
  gsize length = dot != NULL ? (gsize) (dot - name) : strlen (name);

  return length == strlen (stem) && g_ascii_strncasecmp (name, stem, length) == 0;
}

static char *
where_in (const char *folder,
          const char *name)
{
  return *folder != '\0' ? g_strconcat (folder, "/", name, NULL) : g_strdup (name);
}

/* A picture, or NULL with the reason among the problems. */
static Picture *
read_file (FolderRead *read,
           GFile      *dir,
           Child      *child,
           const char *folder_where,
           GError    **error)
{
  g_autoptr(GFile) file = g_file_get_child (dir, child->name);
  g_autofree char *where = where_in (folder_where, child->display);
  g_autoptr(GError) local_error = NULL;
  GPtrArray *problems = read->input->problems;
  OipImageFormat format;
  Picture *picture;

  if (child->is_symlink && !follow_link (file, child, read->cancellable))
    {
      oip_bulk_add_problem (problems, 0, where, "broken_link", _("The link points to nothing; skipped."));
      return NULL;
    }
  if (child->type == G_FILE_TYPE_DIRECTORY)
    {
      if (child->is_symlink)
        oip_bulk_add_problem (problems, 0, where, "symlinked_folder",
                              _("Links to folders are not followed; skipped."));
      else
        oip_bulk_add_problem (problems, 0, where, "nested_folder",
                              _("Folders inside a product folder are not read; skipped."));
      return NULL;
    }
  if (child->type != G_FILE_TYPE_REGULAR)
    {
      oip_bulk_add_problem (problems, 0, where, "not_a_picture", _("Not a regular file; skipped."));
      return NULL;
    }

  format = sniff (file, read->cancellable, &local_error);
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (local_error != NULL)
    {
      oip_bulk_add_problem (problems, 0, where, "unreadable",
                            _("Could not read this file: %s"), local_error->message);
      return NULL;
    }
  if (format == OIP_IMAGE_FORMAT_UNKNOWN)
    {
      if (named_like_picture (child->display))
        oip_bulk_add_problem (problems, 0, where, "not_a_picture",
                              _("Named like a picture, but it is not a JPEG, PNG, WebP or HEIC picture inside; skipped."));
      else
        oip_bulk_add_problem (problems, 0, where, "not_a_picture",
                              _("Not a JPEG, PNG, WebP or HEIC picture; skipped."));
      return NULL;
    }

  picture = g_new0 (Picture, 1);
  picture->child = child;
  picture->file = g_steal_pointer (&file);
  picture->format = format;
  return picture;
}

/* ---- ozon.json ---- */

static gboolean
sidecar_string (JsonObject  *object,
                const char  *member,
                char       **out,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” must be a file name in quotes"), member);
      return FALSE;
    }
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
sidecar_order (JsonObject  *object,
               GStrv       *out,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, "order");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        array = NULL;
      else
        g_strv_builder_add (builder, json_node_get_string (element));
    }
  if (array == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("“order” must be a list of file names in quotes"));
      return FALSE;
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static Sidecar *
read_sidecar (FolderRead  *read,
              GFile       *dir,
              Child       *child,
              const char  *where,
              GError     **error)
{
  g_autoptr(GFile) file = g_file_get_child (dir, child->name);
  g_autoptr(Sidecar) sidecar = g_new0 (Sidecar, 1);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  JsonObject *object;

  sidecar->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_bulk_problem_free);

  if (child->size > OIP_BULK_SIDECAR_MAX_SIZE)
    {
      g_autofree char *limit = g_format_size_full (OIP_BULK_SIDECAR_MAX_SIZE, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("it is larger than %s"), limit);
      return NULL;
    }
  if (!g_file_load_contents (file, read->cancellable, &contents, &length, NULL, error))
    return NULL;
  node = oip_json_parse (contents, length, OIP_BULK_SIDECAR_MAX_SIZE, error);
  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("it must be an object such as {\"main\": \"1.jpg\"}"));
      return NULL;
    }
  object = json_node_get_object (node);
  if (!sidecar_string (object, "main", &sidecar->main, error) ||
      !sidecar_string (object, "color", &sidecar->color, error) ||
      !sidecar_order (object, &sidecar->order, error))
    return NULL;

  {
    g_autoptr(GList) members = json_object_get_members (object);

    for (GList *l = members; l != NULL; l = l->next)
      if (strcmp (l->data, "main") != 0 && strcmp (l->data, "color") != 0 && strcmp (l->data, "order") != 0)
        oip_bulk_add_problem (sidecar->problems, 0, where, "sidecar_unknown_key",
                              _("ozon.json: the key “%s” is not one this app reads; it is ignored."),
                              (const char *) l->data);
  }
  return g_steal_pointer (&sidecar);
}

/* The picture called @name: the exact name, else the only one that matches
 * without regard to case. */
static Picture *
find_picture (GPtrArray  *pictures,
              const char *name)
{
  Picture *found = NULL;
  guint matches = 0;

  for (guint i = 0; i < pictures->len; i++)
    {
      Picture *picture = g_ptr_array_index (pictures, i);

      if (strcmp (picture->child->display, name) == 0)
        return picture;
    }
  for (guint i = 0; i < pictures->len; i++)
    {
      Picture *picture = g_ptr_array_index (pictures, i);
      g_autofree char *a = g_utf8_casefold (picture->child->display, -1);
      g_autofree char *b = g_utf8_casefold (name, -1);

      if (strcmp (a, b) == 0)
        {
          found = picture;
          matches++;
        }
    }
  return matches == 1 ? found : NULL;
}

/* ---- A product folder ---- */

/* The pictures in push order, main first, for an entry. */
static gboolean
order_pictures (GPtrArray   *pictures,
                Sidecar     *sidecar,
                const char  *folder_where,
                const char  *prefix,
                GPtrArray   *problems,
                GPtrArray   *entry_problems,
                GPtrArray   *ordered,
                Picture    **out_color)
{
  g_autoptr(GPtrArray) gallery = g_ptr_array_new ();
  Picture *main_picture = NULL;
  Picture *color = NULL;

  if (sidecar != NULL && sidecar->main != NULL)
    {
      main_picture = find_picture (pictures, sidecar->main);
      if (main_picture == NULL)
        {
          g_autofree char *where = where_in (prefix, "ozon.json");

          /* Pushing another main image than the one the seller chose
           * would be worse than not pushing this product. */
          oip_bulk_add_problem (problems, 0, where, "bad_sidecar",
                                _("ozon.json names “%s” as the main image, but there is no such picture; this product is skipped."),
                                sidecar->main);
          return FALSE;
        }
    }
  if (sidecar != NULL && sidecar->color != NULL)
    {
      color = find_picture (pictures, sidecar->color);
      if (color == NULL)
        oip_bulk_add_problem (entry_problems, 0, folder_where, "sidecar_missing_file",
                              _("ozon.json names “%s” as the color image, but there is no such picture; it is ignored."),
                              sidecar->color);
    }

  for (guint i = 0; i < pictures->len; i++)
    {
      Picture *picture = g_ptr_array_index (pictures, i);
      const char *name = picture->child->display;

      if (picture == main_picture || picture == color)
        continue;
      if ((sidecar == NULL || sidecar->main == NULL) && has_stem (name, "main"))
        {
          if (main_picture == NULL)
            {
              main_picture = picture;
              continue;
            }
          oip_bulk_add_problem (entry_problems, 0, folder_where, "duplicate_main",
                                _("Both “%s” and “%s” are named main; the first is the main image, the other is sorted with the rest."),
                                main_picture->child->display, name);
        }
      if ((sidecar == NULL || sidecar->color == NULL) && (has_stem (name, "color") || has_stem (name, "colour")))
        {
          if (color == NULL)
            color = picture;
          else
            oip_bulk_add_problem (entry_problems, 0, folder_where, "duplicate_color",
                                  _("Both “%s” and “%s” are named color; the first is the color image, the other is skipped."),
                                  color->child->display, name);
          continue;
        }
      g_ptr_array_add (gallery, picture);
    }

  if (main_picture != NULL)
    g_ptr_array_add (ordered, main_picture);

  if (sidecar != NULL && sidecar->order != NULL)
    {
      g_autoptr(GString) unlisted = g_string_new (NULL);

      for (guint i = 0; sidecar->order[i] != NULL; i++)
        {
          Picture *picture = find_picture (pictures, sidecar->order[i]);
          guint index;

          if (picture == NULL)
            oip_bulk_add_problem (entry_problems, 0, folder_where, "sidecar_missing_file",
                                  _("ozon.json lists “%s” in its order, but there is no such picture; it is ignored."),
                                  sidecar->order[i]);
          else if (g_ptr_array_find (gallery, picture, &index))
            {
              g_ptr_array_add (ordered, picture);
              g_ptr_array_remove_index (gallery, index);
            }
        }
      for (guint i = 0; i < gallery->len; i++)
        {
          Picture *picture = g_ptr_array_index (gallery, i);

          g_string_append_printf (unlisted, "%s%s", unlisted->len > 0 ? ", " : "", picture->child->display);
        }
      if (unlisted->len > 0)
        oip_bulk_add_problem (entry_problems, 0, folder_where, "sidecar_unlisted",
                              _("Not in ozon.json’s order, so added at the end: %s."), unlisted->str);
    }
  g_ptr_array_extend (ordered, gallery, NULL, NULL);

  *out_color = color;
  return TRUE;
}

/* @folder_where names the product in problems, @prefix its files
 * (relative to the folder the seller chose). */
static gboolean
read_product (FolderRead  *read,
              GFile       *dir,
              const char  *raw_name,
              const char  *folder_where,
              const char  *prefix,
              GError     **error)
{
  GPtrArray *problems = read->input->problems;
  g_autoptr(GPtrArray) children = NULL;
  g_autoptr(GPtrArray) pictures = g_ptr_array_new_with_free_func ((GDestroyNotify) picture_free);
  g_autoptr(GPtrArray) ordered = g_ptr_array_new ();
  g_autoptr(GPtrArray) entry_problems = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_bulk_problem_free);
  g_autoptr(Sidecar) sidecar = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *value = NULL;
  g_autofree char *reason = NULL;
  Child *sidecar_child = NULL;
  Picture *color = NULL;
  const char *first;
  OipBulkEntry *entry;

  if (!g_utf8_validate (raw_name, -1, NULL))
    {
      oip_bulk_add_problem (problems, 0, folder_where, "bad_identifier",
                            _("The folder name is not UTF-8 text, so it cannot be an offer ID; skipped."));
      return TRUE;
    }
  value = oip_bulk_strip (raw_name, -1);
  if (!oip_bulk_check_offer_id (value, &reason))
    {
      oip_bulk_add_problem (problems, 0, folder_where, "bad_identifier", "%s", reason);
      return TRUE;
    }
  if ((first = g_hash_table_lookup (read->seen, value)) != NULL)
    {
      oip_bulk_add_problem (problems, 0, folder_where, "duplicate_identifier",
                            _("The folder “%s” already gives the offer ID “%s”; this one is skipped."),
                            first, value);
      return TRUE;
    }
  g_hash_table_insert (read->seen, g_strdup (value), g_strdup (folder_where));

  children = list_children (dir, read->cancellable, &local_error);
  if (children == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      oip_bulk_add_problem (problems, 0, folder_where, "unreadable",
                            _("Could not read this folder: %s"), local_error->message);
      return TRUE;
    }

  for (guint i = 0; i < children->len; i++)
    {
      Child *child = g_ptr_array_index (children, i);
      Picture *picture;

      if (child->type == G_FILE_TYPE_REGULAR && g_ascii_strcasecmp (child->name, "ozon.json") == 0)
        {
          sidecar_child = child;
          continue;
        }
      picture = read_file (read, dir, child, prefix, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (picture != NULL)
        g_ptr_array_add (pictures, picture);
    }

  if (sidecar_child != NULL)
    {
      g_autofree char *where = where_in (prefix, sidecar_child->display);

      sidecar = read_sidecar (read, dir, sidecar_child, where, &local_error);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (sidecar == NULL)
        {
          oip_bulk_add_problem (problems, 0, where, "bad_sidecar",
                                _("ozon.json cannot be used: %s. Fix or remove it; this product is skipped."),
                                local_error->message);
          return TRUE;
        }
      g_ptr_array_extend_and_steal (entry_problems, g_steal_pointer (&sidecar->problems));
    }

  if (!order_pictures (pictures, sidecar, folder_where, prefix, problems, entry_problems, ordered, &color))
    return TRUE;
  if (ordered->len == 0)
    {
      oip_bulk_add_problem (problems, 0, folder_where, "no_images",
                            _("The folder has no pictures; this product is skipped."));
      return TRUE;
    }

  entry = oip_bulk_entry_new (OIP_PRODUCT_KEY_OFFER_ID, value, 0, folder_where);
  for (guint i = 0; i < ordered->len; i++)
    {
      Picture *picture = g_ptr_array_index (ordered, i);

      g_ptr_array_add (entry->images, g_file_get_uri (picture->file));
      entry->local_bytes += picture->child->size;
    }
  if (color != NULL)
    {
      entry->color_image = g_file_get_uri (color->file);
      entry->local_bytes += color->child->size;
    }
  g_ptr_array_extend_and_steal (entry->problems, g_steal_pointer (&entry_problems));
  g_ptr_array_add (read->input->entries, entry);
  return TRUE;
}

/* ---- The folder of folders ---- */

/* No sub-folders: if there are pictures here, the seller chose one
 * product's folder. */
static gboolean
holds_pictures (FolderRead *read,
                GPtrArray  *children)
{
  for (guint i = 0; i < children->len; i++)
    {
      Child *child = g_ptr_array_index (children, i);
      g_autoptr(GFile) file = g_file_get_child (read->root, child->name);
      Child target = *child;

      if (child->is_symlink && !follow_link (file, &target, read->cancellable))
        continue;
      if (target.type == G_FILE_TYPE_REGULAR &&
          sniff (file, read->cancellable, NULL) != OIP_IMAGE_FORMAT_UNKNOWN)
        return TRUE;
    }
  return FALSE;
}

static void
read_root (FolderRead  *read,
           GError     **error)
{
  g_autoptr(GPtrArray) children = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *basename = g_file_get_basename (read->root);
  g_autofree char *root_display = g_filename_display_name (basename);
  guint folders = 0;

  children = list_children (read->root, read->cancellable, &local_error);
  if (children == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, OIP_ERROR, OIP_ERROR_IO, _("Could not read %s: %s"),
                     root_display, local_error->message);
      return;
    }

  for (guint i = 0; i < children->len; i++)
    if (((Child *) g_ptr_array_index (children, i))->type == G_FILE_TYPE_DIRECTORY)
      folders++;

  if (folders == 0 && holds_pictures (read, children))
    {
      g_autofree char *value = oip_bulk_strip (root_display, -1);

      oip_bulk_add_problem (read->input->problems, 0, root_display, "one_product_folder",
                            _("“%s” holds pictures and no product folders, so it is read as one product with the offer ID “%s”."),
                            root_display, value);
      read_product (read, read->root, basename, root_display, "", error);
      return;
    }

  for (guint i = 0; i < children->len; i++)
    {
      Child *child = g_ptr_array_index (children, i);
      g_autoptr(GFile) dir = NULL;

      if (g_cancellable_set_error_if_cancelled (read->cancellable, error))
        return;
      if (child->type != G_FILE_TYPE_DIRECTORY)
        {
          g_autoptr(GFile) file = g_file_get_child (read->root, child->name);
          Child target = *child;

          if (child->is_symlink && follow_link (file, &target, read->cancellable) &&
              target.type == G_FILE_TYPE_DIRECTORY)
            oip_bulk_add_problem (read->input->problems, 0, child->display, "symlinked_folder",
                                  _("Links to folders are not followed; skipped."));
          else
            oip_bulk_add_problem (read->input->problems, 0, child->display, "outside_product",
                                  _("Not inside a product folder; skipped."));
          continue;
        }
      dir = g_file_get_child (read->root, child->name);
      if (!read_product (read, dir, child->name, child->display, child->display, error))
        return;
    }

  if (read->input->entries->len == 0 && folders == 0)
    oip_bulk_add_problem (read->input->problems, 0, root_display, "no_product_folders",
                          _("There are no product folders or pictures in “%s”."), root_display);
}

static void
read_folder_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GFile *root = task_data;
  g_autoptr(OipBulkInput) input = oip_bulk_input_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  FolderRead read = { root, input, seen, cancellable };

  /* The folder the seller chose may itself be a link. */
  info = g_file_query_info (root, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                            cancellable, &error);
  if (info != NULL && g_file_info_get_file_type (info) != G_FILE_TYPE_DIRECTORY)
    {
      g_autofree char *name = g_file_get_parse_name (root);

      g_task_return_new_error (task, OIP_ERROR, OIP_ERROR_IO, _("%s is not a folder."), name);
      return;
    }
  if (info != NULL)
    read_root (&read, &error);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *name = g_file_get_parse_name (root);

      g_task_return_new_error (task, OIP_ERROR, OIP_ERROR_IO, _("Could not read %s: %s"), name, error->message);
      return;
    }

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&input), (GDestroyNotify) oip_bulk_input_free);
}

/**
 * oip_bulk_input_read_folder_async:
 * @folder: a folder of product folders (or one product's folder)
 * @cancellable: (nullable): to stop
 * @callback: called with the result
 * @user_data: for @callback
 *
 * Lists @folder's sub-folders, one product each, named after its offer ID,
 * and their pictures in push order, with problem reports. Every file is
 * listed and its first 32 bytes read to tell pictures from other files;
 * nothing else is read, except a small ozon.json. The work happens in a
 * worker thread, never on the main loop.
 *
 * - Product folders and pictures are taken in natural name order (2.jpg
 *   before 10.jpg, case ignored); hidden names (a leading “.”),
 *   Thumbs.db and desktop.ini are skipped silently.
 * - main.* is the main image; color.* (or colour.*) is the color image and
 *   not among the others. ozon.json in a product folder, {"main": "NAME",
 *   "color": "NAME", "order": ["NAME", …]}, says so explicitly; pictures
 *   it does not list follow in name order. If it cannot be read, or names
 *   a main image that is not there, the product is skipped.
 * - Files that are not JPEG, PNG, WebP or HEIC by content, folders inside
 *   product folders, files beside the product folders and folder names that
 *   cannot be offer IDs are reported and skipped.
 * - Links to files in a product folder are followed, links to folders
 *   never are.
 * - A folder that holds pictures and no sub-folders is read as one product
 *   named after it, with a notice.
 */
void
oip_bulk_input_read_folder_async (GFile               *folder,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (folder));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_bulk_input_read_folder_async);
  g_task_set_task_data (task, g_object_ref (folder), g_object_unref);
  g_task_run_in_thread (task, read_folder_thread);
}

/**
 * oip_bulk_input_read_folder_finish:
 * @result: what the callback got
 * @error: return location for an %OIP_ERROR_IO error, or
 *   %G_IO_ERROR_CANCELLED
 *
 * Returns: (transfer full): the products and problems, or %NULL
 */
OipBulkInput *
oip_bulk_input_read_folder_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oip_bulk_input_read_folder_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
