/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"


#include "oip-bulk-run-private.h"
#include "oip-enum-types.h"
#include "oip-error.h"
#include "oip-image-item.h"
#include "oip-url.h"

/**
 * OipBulkItem:
 *
 * One product of a bulk run, from the line of the input it came from to
 * its outcome: which product it is, the images it has on Ozon now and the
 * ones it will have (what the push removes), its local files, what is
 * wrong with it, and its #OipBulkItem:state with the error in the
 * seller's words and Ozon's own beside it. Its images are #OipImageItem
 * objects (oip_bulk_item_get_images()), whose states follow Ozon's
 * read-back as in a single push. Rows of a bulk window bind to it.
 */

G_DEFINE_FINAL_TYPE (OipBulkItem, oip_bulk_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_POSITION,
  PROP_IDENTIFIER,
  PROP_PRODUCT_ID,
  PROP_OFFER_ID,
  PROP_NAME,
  PROP_MAIN_IMAGE,
  PROP_N_BEFORE,
  PROP_N_AFTER,
  PROP_N_REMOVED,
  PROP_LOCAL_BYTES,
  PROP_STATE,
  PROP_ERROR,
  PROP_OZON_MESSAGE,
  PROP_HISTORY_ID,
  PROP_N_SENT,
  PROP_N_IMPORTED,
  PROP_N_SKIPPED,
  PROP_N_FAILED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *state_names[] = {
  "planned", "not_found", "invalid", "queued", "uploading", "sending",
  "importing", "imported", "partial", "failed", "skipped",
};

G_STATIC_ASSERT (G_N_ELEMENTS (state_names) == OIP_BULK_ITEM_N_STATES);

/**
 * oip_bulk_item_state_to_string:
 *
 * Returns: the state's stable name, for JSON output and scripts
 */
const char *
oip_bulk_item_state_to_string (OipBulkItemState state)
{
  g_return_val_if_fail (state < OIP_BULK_ITEM_N_STATES, NULL);
  return state_names[state];
}

static void
oip_bulk_item_finalize (GObject *object)
{
  OipBulkItem *self = OIP_BULK_ITEM (object);

  g_free (self->identifier);
  g_free (self->location);
  g_strfreev (self->given_images);
  g_free (self->given_color);
  g_free (self->offer_id);
  g_free (self->name);
  g_strfreev (self->before);
  g_free (self->before_color);
  g_strfreev (self->sources);
  g_free (self->color_source);
  g_strfreev (self->after);
  g_free (self->after_color);
  g_strfreev (self->removed);
  g_strfreev (self->local_files);
  g_ptr_array_unref (self->problems);
  g_clear_object (&self->images);
  g_ptr_array_unref (self->sent_items);
  g_free (self->error);
  g_free (self->error_code);
  g_free (self->ozon_message);
  g_ptr_array_unref (self->import_errors);

  G_OBJECT_CLASS (oip_bulk_item_parent_class)->finalize (object);
}

static void
oip_bulk_item_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  OipBulkItem *self = OIP_BULK_ITEM (object);

  switch (prop_id)
    {
    case PROP_POSITION: g_value_set_uint (value, self->position); break;
    case PROP_IDENTIFIER: g_value_set_string (value, self->identifier); break;
    case PROP_PRODUCT_ID: g_value_set_int64 (value, self->product_id); break;
    case PROP_OFFER_ID: g_value_set_string (value, self->offer_id); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_MAIN_IMAGE: g_value_set_string (value, oip_bulk_item_get_main_image (self)); break;
    case PROP_N_BEFORE: g_value_set_uint (value, oip_bulk_item_get_n_before (self)); break;
    case PROP_N_AFTER: g_value_set_uint (value, oip_bulk_item_get_n_after (self)); break;
    case PROP_N_REMOVED: g_value_set_uint (value, oip_bulk_item_get_n_removed (self)); break;
    case PROP_LOCAL_BYTES: g_value_set_uint64 (value, self->local_bytes); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_ERROR: g_value_set_string (value, self->error); break;
    case PROP_OZON_MESSAGE: g_value_set_string (value, self->ozon_message); break;
    case PROP_HISTORY_ID: g_value_set_int64 (value, self->history_id); break;
    case PROP_N_SENT: g_value_set_uint (value, self->n_sent); break;
    case PROP_N_IMPORTED: g_value_set_uint (value, self->n_imported); break;
    case PROP_N_SKIPPED: g_value_set_uint (value, self->n_skipped); break;
    case PROP_N_FAILED: g_value_set_uint (value, self->n_failed); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
oip_bulk_item_class_init (OipBulkItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = oip_bulk_item_finalize;
  object_class->get_property = oip_bulk_item_get_property;

  properties[PROP_POSITION] = g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_IDENTIFIER] = g_param_spec_string ("identifier", NULL, NULL, NULL, flags);
  properties[PROP_PRODUCT_ID] = g_param_spec_int64 ("product-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_OFFER_ID] = g_param_spec_string ("offer-id", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_MAIN_IMAGE] = g_param_spec_string ("main-image", NULL, NULL, NULL, flags);
  properties[PROP_N_BEFORE] = g_param_spec_uint ("n-before", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_AFTER] = g_param_spec_uint ("n-after", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_REMOVED] = g_param_spec_uint ("n-removed", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_LOCAL_BYTES] = g_param_spec_uint64 ("local-bytes", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, OIP_TYPE_BULK_ITEM_STATE,
                                              OIP_BULK_ITEM_PLANNED, flags);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, flags);
  properties[PROP_OZON_MESSAGE] = g_param_spec_string ("ozon-message", NULL, NULL, NULL, flags);
  properties[PROP_HISTORY_ID] = g_param_spec_int64 ("history-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_N_SENT] = g_param_spec_uint ("n-sent", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_IMPORTED] = g_param_spec_uint ("n-imported", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_SKIPPED] = g_param_spec_uint ("n-skipped", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_FAILED] = g_param_spec_uint ("n-failed", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
oip_bulk_item_init (OipBulkItem *self)
{
  self->problems = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  self->images = g_list_store_new (OIP_TYPE_IMAGE_ITEM);
  self->sent_items = g_ptr_array_new ();
  self->import_errors = g_ptr_array_new_with_free_func (g_free);
  self->batch = -1;
  self->counted = -1;
}

static void
notify (OipBulkItem *self,
        guint        prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static GStrv
strv_minus (const char * const *a,
            const char * const *b)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; a != NULL && a[i] != NULL; i++)
    if (b == NULL || !g_strv_contains (b, a[i]))
      g_strv_builder_add (builder, a[i]);
  return g_strv_builder_end (builder);
}

/* What the push removes: the images the product has now that the list
 * it will have does not (by address). */
static void
update_removed (OipBulkItem *self)
{
  g_strfreev (self->removed);
  self->removed = strv_minus ((const char * const *) self->before, (const char * const *) self->after);
  notify (self, PROP_N_REMOVED);
  notify (self, PROP_MAIN_IMAGE);
}

/* Internal API (oip-bulk-run-private.h) */

OipBulkItem *
oip_bulk_item_new (guint          position,
                   OipProductKey  key,
                   const char    *identifier,
                   guint          line,
                   const char    *location)
{
  OipBulkItem *self = g_object_new (OIP_TYPE_BULK_ITEM, NULL);

  self->position = position;
  self->key = key;
  self->identifier = g_strdup (identifier);
  self->line = line;
  self->location = g_strdup (location);
  return self;
}

void
oip_bulk_item_set_product (OipBulkItem *self,
                           OipProduct  *product)
{
  g_free (self->offer_id);
  g_free (self->name);
  self->product_id = oip_product_get_product_id (product);
  self->offer_id = g_strdup (oip_product_get_offer_id (product));
  self->name = g_strdup (oip_product_get_name (product));
  notify (self, PROP_PRODUCT_ID);
  notify (self, PROP_OFFER_ID);
  notify (self, PROP_NAME);
  oip_bulk_item_set_before (self, oip_product_get_images (product), oip_product_get_color_image (product));
}

/**
 * oip_bulk_item_set_before:
 *
 * The images the product has on Ozon now: at planning, then again right
 * before its import is sent (what the push replaces, for the history).
 */
void
oip_bulk_item_set_before (OipBulkItem        *self,
                          const char * const *images,
                          const char         *color)
{
  g_strfreev (self->before);
  g_free (self->before_color);
  self->before = g_strdupv ((char **) images);
  if (self->before == NULL)
    self->before = g_new0 (char *, 1);
  self->before_color = g_strdup (color);
  self->before_known = TRUE;
  notify (self, PROP_N_BEFORE);
  update_removed (self);
}

static void
append_image (OipBulkItem *self,
              const char  *source,
              const char  *sent,
              guint        number,
              gboolean     is_color)
{
  g_autoptr(OipImageItem) image = oip_image_item_new (source);

  oip_image_item_set_placement (image, is_color ? 0 : number, !is_color && number == 1, is_color, FALSE);
  if (sent != NULL)
    oip_image_item_set_sent_url (image, sent);
  else if (!oip_url_is_local_file (source))
    oip_image_item_set_sent_url (image, source);
  g_list_store_append (self->images, image);
  g_ptr_array_add (self->sent_items, image);
  if (is_color)
    self->color_item = image;
}

/**
 * oip_bulk_item_set_sources:
 * @sources: what the push sends, main first (the plan's, at most 30)
 * @color_source: (nullable): the color image to send
 * @sent: (nullable): the addresses they are sent under, in the same order
 *   (a local file's once uploaded; a re-addressed one's); %NULL: the web
 *   addresses as they are
 * @sent_color: (nullable): the color image's address, likewise
 *
 * The images of the push, as #OipImageItem objects, and the list the
 * product will have.
 */
void
oip_bulk_item_set_sources (OipBulkItem        *self,
                           const char * const *sources,
                           const char         *color_source,
                           const char * const *sent,
                           const char         *sent_color)
{
  g_autoptr(GPtrArray) locals = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  guint n_sent = sent ? g_strv_length ((char **) sent) : 0;

  g_strfreev (self->sources);
  g_free (self->color_source);
  self->sources = g_strdupv ((char **) sources);
  if (self->sources == NULL)
    self->sources = g_new0 (char *, 1);
  self->color_source = g_strdup (color_source);
  g_list_store_remove_all (self->images);
  g_ptr_array_set_size (self->sent_items, 0);
  self->color_item = NULL;

  for (guint i = 0; self->sources[i] != NULL; i++)
    append_image (self, self->sources[i], i < n_sent && *sent[i] ? sent[i] : NULL, i + 1, FALSE);
  if (color_source != NULL)
    append_image (self, color_source, sent_color, 0, TRUE);

  for (guint i = 0; i < self->sent_items->len; i++)
    {
      const char *source = oip_image_item_get_url (g_ptr_array_index (self->sent_items, i));

      if (oip_url_is_local_file (source) &&
          !g_ptr_array_find_with_equal_func (locals, source, g_str_equal, NULL))
        g_ptr_array_add (locals, g_strdup (source));
    }
  g_strfreev (self->local_files);
  self->local_files = (GStrv) g_ptr_array_free (g_steal_pointer (&locals), FALSE);
  oip_bulk_item_set_after (self, (const char * const *) self->sources, color_source);
}

/**
 * oip_bulk_item_set_after:
 *
 * The images the product will have (the plan), then has (read back).
 */
void
oip_bulk_item_set_after (OipBulkItem        *self,
                         const char * const *images,
                         const char         *color)
{
  if (images != (const char * const *) self->after)
    {
      GStrv copy = g_strdupv ((char **) images);

      g_strfreev (self->after);
      self->after = copy ? copy : g_new0 (char *, 1);
    }
  if (color != self->after_color)
    {
      char *copy = g_strdup (color);

      g_free (self->after_color);
      self->after_color = copy;
    }
  notify (self, PROP_N_AFTER);
  update_removed (self);
}

void
oip_bulk_item_add_problem (OipBulkItem *self,
                           const char  *message)
{
  if (!g_ptr_array_find_with_equal_func (self->problems, message, g_str_equal, NULL))
    g_ptr_array_add (self->problems, g_strdup (message));
}

/**
 * oip_bulk_item_set_state:
 * @error_code: (nullable): oip_error_code_name() of the failure
 * @error: (nullable): the seller's sentence
 * @ozon_message: (nullable): Ozon's own words
 */
void
oip_bulk_item_set_state (OipBulkItem      *self,
                         OipBulkItemState  state,
                         const char       *error_code,
                         const char       *error,
                         const char       *ozon_message)
{
  gboolean error_changed = g_strcmp0 (self->error, error) != 0;
  gboolean ozon_changed = g_strcmp0 (self->ozon_message, ozon_message) != 0;

  g_free (self->error_code);
  self->error_code = g_strdup (error_code);
  if (error_changed)
    {
      g_free (self->error);
      self->error = g_strdup (error);
      notify (self, PROP_ERROR);
    }
  if (ozon_changed)
    {
      g_free (self->ozon_message);
      self->ozon_message = g_strdup (ozon_message);
      notify (self, PROP_OZON_MESSAGE);
    }
  if (self->state != state)
    {
      self->state = state;
      notify (self, PROP_STATE);
    }
}

void
oip_bulk_item_set_counts (OipBulkItem *self,
                          guint        n_sent,
                          guint        n_imported,
                          guint        n_skipped,
                          guint        n_failed)
{
  guint *fields[] = { &self->n_sent, &self->n_imported, &self->n_skipped, &self->n_failed };
  guint values[] = { n_sent, n_imported, n_skipped, n_failed };
  guint props[] = { PROP_N_SENT, PROP_N_IMPORTED, PROP_N_SKIPPED, PROP_N_FAILED };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (*fields[i] != values[i])
      {
        *fields[i] = values[i];
        notify (self, props[i]);
      }
}

void
oip_bulk_item_set_history_id (OipBulkItem *self,
                              gint64       id)
{
  if (self->history_id == id)
    return;
  self->history_id = id;
  notify (self, PROP_HISTORY_ID);
}

/**
 * oip_bulk_item_dup_sent:
 * @sent_color: (out) (transfer full): the color image's address
 *
 * Returns: (transfer full): the addresses the images go under, in order;
 *   "" for a local file not uploaded yet
 */
GStrv
oip_bulk_item_dup_sent (OipBulkItem  *self,
                        char        **sent_color)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  *sent_color = NULL;
  for (guint i = 0; i < self->sent_items->len; i++)
    {
      OipImageItem *image = g_ptr_array_index (self->sent_items, i);
      const char *sent = oip_image_item_get_sent_url (image);

      if (image == self->color_item)
        *sent_color = g_strdup (sent);
      else
        g_strv_builder_add (builder, sent ? sent : "");
    }
  return g_strv_builder_end (builder);
}

/**
 * oip_bulk_item_has_intended:
 *
 * Returns: whether @pictures are exactly what this push sends, in order,
 *   with its color image: a push that reached Ozon before the run stopped
 */
gboolean
oip_bulk_item_has_intended (OipBulkItem       *self,
                            const OipPictures *pictures)
{
  g_autofree char *color = NULL;
  g_auto(GStrv) sent = oip_bulk_item_dup_sent (self, &color);

  return g_strv_equal ((const char * const *) sent, (const char * const *) pictures->images) &&
         g_strcmp0 (color, pictures->color_image) == 0;
}

static OipPushOutcome
record_outcome (OipBulkItem *self)
{
  switch (self->state)
    {
    case OIP_BULK_ITEM_IMPORTED:
      return OIP_PUSH_OUTCOME_SUCCEEDED;
    case OIP_BULK_ITEM_PARTIAL:
      return OIP_PUSH_OUTCOME_PARTIAL;
    case OIP_BULK_ITEM_FAILED:
      return g_strcmp0 (self->error_code, "import_pending") == 0 ? OIP_PUSH_OUTCOME_PENDING
                                                                 : OIP_PUSH_OUTCOME_FAILED;
    case OIP_BULK_ITEM_QUEUED:
      /* Held back before Ozon had it (its limits): not sent yet. */
      return self->task_id > 0 || self->readdressed > 0 ? OIP_PUSH_OUTCOME_RUNNING : OIP_PUSH_OUTCOME_CANCELLED;
    default:
      return OIP_PUSH_OUTCOME_RUNNING;
    }
}

/**
 * oip_bulk_item_make_record:
 *
 * The product's push as the history keeps a single push: what it had
 * before, what was sent with each image's state, what it has after, how
 * it ended (from the item's state and error).
 *
 * Returns: (transfer full): the record (its id, if it has one already)
 */
OipPushRecord *
oip_bulk_item_make_record (OipBulkItem *self,
                           OipBulkRun  *run)
{
  OipPushRecord *record = oip_push_record_new ();
  OipPushOutcome outcome = record_outcome (self);
  gboolean final = outcome != OIP_PUSH_OUTCOME_RUNNING;

  record->id = self->history_id;
  record->kind = run->kind;
  record->source_push_id = self->source_push_id;
  record->bulk_run_id = run->id;
  record->product_id = self->product_id;
  record->offer_id = g_strdup (self->offer_id);
  record->client_id = g_strdup (run->client ? oip_ozon_client_get_client_id (run->client) : NULL);
  record->started_at = self->started_at;
  record->finished_at = final ? g_get_real_time () : 0;
  record->outcome = outcome;
  record->before_known = self->before_known;
  record->before_images = g_strdupv (self->before);
  record->before_color = g_strdup (self->before_color);
  if (self->state == OIP_BULK_ITEM_IMPORTED || self->state == OIP_BULK_ITEM_PARTIAL ||
      (self->state == OIP_BULK_ITEM_FAILED && self->n_sent > 0))
    {
      record->after_images = g_strdupv (self->after);
      record->after_color = g_strdup (self->after_color);
    }
  record->task_id = self->task_id;
  for (guint i = 0; i < self->sent_items->len; i++)
    {
      OipImageItem *item = g_ptr_array_index (self->sent_items, i);
      OipPushRecordImage *image = oip_push_record_image_new (oip_image_item_get_url (item));
      const char *ozon = oip_image_item_get_ozon_message (item);

      image->position = i;
      image->url = g_strdup (oip_image_item_get_sent_url (item));
      image->is_main = oip_image_item_get_is_main (item);
      image->is_color = oip_image_item_get_is_color (item);
      image->state = g_strdup (oip_image_state_to_string (oip_image_item_get_state (item)));
      image->error = g_strdup (ozon != NULL ? ozon : oip_image_item_get_error (item));
      g_ptr_array_add (record->images, image);
      if (item == self->color_item)
        record->sent_color = g_strdup (image->url);
    }
  if (self->error != NULL && outcome != OIP_PUSH_OUTCOME_SUCCEEDED)
    {
      record->error_code = g_strdup (self->error_code ? self->error_code : "failed");
      record->error_message = g_strdup (self->error);
    }
  return record;
}

/* Public API */

guint
oip_bulk_item_get_position (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), 0);
  return self->position;
}

OipProductKey
oip_bulk_item_get_key (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), OIP_PRODUCT_KEY_OFFER_ID);
  return self->key;
}

/**
 * oip_bulk_item_get_identifier:
 *
 * Returns: the offer ID, product ID or SKU as the input gave it
 */
const char *
oip_bulk_item_get_identifier (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), NULL);
  return self->identifier;
}

/**
 * oip_bulk_item_get_location:
 *
 * Returns: (nullable): where in the input it came from (“products.csv:12”,
 *   a folder's name)
 */
const char *
oip_bulk_item_get_location (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), NULL);
  return self->location;
}

guint
oip_bulk_item_get_line (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), 0);
  return self->line;
}

gint64
oip_bulk_item_get_product_id (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), 0);
  return self->product_id;
}

const char *
oip_bulk_item_get_offer_id (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), NULL);
  return self->offer_id;
}

const char *
oip_bulk_item_get_name (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), NULL);
  return self->name;
}

/**
 * oip_bulk_item_get_main_image:
 *
 * Returns: (nullable): the main image for a thumbnail: the one the push
 *   sends (a file:// URI for a local file), else the one it has now
 */
const char *
oip_bulk_item_get_main_image (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), NULL);
  if (self->sources != NULL && self->sources[0] != NULL)
    return self->sources[0];
  if (self->given_images != NULL && self->given_images[0] != NULL)
    return self->given_images[0];
  return self->before != NULL ? self->before[0] : NULL;
}

const char * const *
oip_bulk_item_get_images_before (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), NULL);
  return (const char * const *) self->before;
}

const char *
oip_bulk_item_get_color_before (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), NULL);
  return self->before_color;
}

/**
 * oip_bulk_item_get_images_after:
 *
 * Returns: (nullable): what the product will have (the plan), or has
 *   once the push was read back
 */
const char * const *
oip_bulk_item_get_images_after (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), NULL);
  return (const char * const *) self->after;
}

const char *
oip_bulk_item_get_color_after (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), NULL);
  return self->after_color;
}

/**
 * oip_bulk_item_get_images_removed:
 *
 * Returns: (nullable): images the product has now that it will not have
 */
const char * const *
oip_bulk_item_get_images_removed (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), NULL);
  return (const char * const *) self->removed;
}

guint
oip_bulk_item_get_n_before (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), 0);
  return self->before ? g_strv_length (self->before) : 0;
}

guint
oip_bulk_item_get_n_after (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), 0);
  return self->after ? g_strv_length (self->after) : 0;
}

guint
oip_bulk_item_get_n_removed (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), 0);
  return self->removed ? g_strv_length (self->removed) : 0;
}

/**
 * oip_bulk_item_get_local_files:
 *
 * Returns: (nullable): its files on this computer (file:// URIs), each once
 */
const char * const *
oip_bulk_item_get_local_files (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), NULL);
  return (const char * const *) self->local_files;
}

guint64
oip_bulk_item_get_local_bytes (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), 0);
  return self->local_bytes;
}

/**
 * oip_bulk_item_get_problems:
 *
 * Returns: what is wrong with it or changes it (translated): invalid
 *   addresses, duplicates, images past the limit, the input's notes
 */
const char * const *
oip_bulk_item_get_problems (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), NULL);
  return (const char * const *) self->problems->pdata;
}

/**
 * oip_bulk_item_get_images:
 *
 * Returns: (transfer none): the #OipImageItem objects the push sends, in
 *   order, the color image last
 */
GListModel *
oip_bulk_item_get_images (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), NULL);
  return G_LIST_MODEL (self->images);
}

OipBulkItemState
oip_bulk_item_get_state (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), OIP_BULK_ITEM_PLANNED);
  return self->state;
}

/**
 * oip_bulk_item_is_finished:
 *
 * Returns: whether the item has its outcome (nothing more happens to it)
 */
gboolean
oip_bulk_item_is_finished (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), FALSE);
  switch (self->state)
    {
    case OIP_BULK_ITEM_NOT_FOUND:
    case OIP_BULK_ITEM_INVALID:
    case OIP_BULK_ITEM_IMPORTED:
    case OIP_BULK_ITEM_PARTIAL:
    case OIP_BULK_ITEM_FAILED:
    case OIP_BULK_ITEM_SKIPPED:
      return TRUE;
    default:
      return FALSE;
    }
}

const char *
oip_bulk_item_get_error (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), NULL);
  return self->error;
}

const char *
oip_bulk_item_get_ozon_message (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), NULL);
  return self->ozon_message;
}

/**
 * oip_bulk_item_get_history_id:
 *
 * Returns: its push's record in the history, 0 before it was sent
 */
gint64
oip_bulk_item_get_history_id (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), 0);
  return self->history_id;
}

guint
oip_bulk_item_get_n_sent (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), 0);
  return self->n_sent;
}

guint
oip_bulk_item_get_n_imported (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), 0);
  return self->n_imported;
}

guint
oip_bulk_item_get_n_skipped (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), 0);
  return self->n_skipped;
}

guint
oip_bulk_item_get_n_failed (OipBulkItem *self)
{
  g_return_val_if_fail (OIP_IS_BULK_ITEM (self), 0);
  return self->n_failed;
}
