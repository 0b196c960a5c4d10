/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "oip-history-row.h"
#include "oip-image-item.h"
#include "oip-image-tile.h"
#include "oip-widget-util.h"

/**
 * OipHistoryRow:
 *
 * One recorded push in the History view: how it ended (in words and with
 * an icon: succeeded, partly imported, failed, cancelled, interrupted,
 * pending), when, which product (offer ID), what kind (a push, an undo, a
 * restore, a retry), the counts (sent, imported, failed), the product's
 * images before and after as small thumbnails, and “Restore These Images”
 * when the record knows what the product had before.
 *
 * #OipHistoryRow::restore asks for the images before the push back.
 */
struct _OipHistoryRow
{
  GtkListBoxRow  parent_instance;

  GtkImage      *outcome_icon;
  GtkLabel      *title_label;
  GtkLabel      *subtitle_label;
  GtkLabel      *counts_label;
  GtkLabel      *note_label;
  GtkWidget     *before_box;
  GtkFlowBox    *before_flow;
  GtkWidget     *after_box;
  GtkFlowBox    *after_flow;
  GtkWidget     *restore_button;

  OipPushRecord *record;
};

G_DEFINE_FINAL_TYPE (OipHistoryRow, oip_history_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  RESTORE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Thumbnails shown per set; the rest are counted. */
#define MAX_THUMBNAILS 6

static void
on_restore_clicked (OipHistoryRow *self)
{
  g_signal_emit (self, signals[RESTORE], 0);
}

static void
outcome_words (OipPushOutcome   outcome,
               const char     **title,
               const char     **icon,
               const char     **css)
{
  *css = NULL;
  switch (outcome)
    {
    case OIP_PUSH_OUTCOME_SUCCEEDED:
      *title = _("Succeeded");
      *icon = "object-select-symbolic";
      *css = "success";
      break;
    case OIP_PUSH_OUTCOME_PARTIAL:
      *title = _("Partly imported");
      *icon = "dialog-warning-symbolic";
      *css = "warning";
      break;
    case OIP_PUSH_OUTCOME_CANCELLED:
      *title = _("Cancelled");
      *icon = "dialog-information-symbolic";
      break;
    case OIP_PUSH_OUTCOME_INTERRUPTED:
      *title = _("Interrupted");
      *icon = "dialog-warning-symbolic";
      *css = "warning";
      break;
    case OIP_PUSH_OUTCOME_PENDING:
      *title = _("Pending at Ozon");
      *icon = "content-loading-symbolic";
      break;
    case OIP_PUSH_OUTCOME_RUNNING:
      *title = _("In progress");
      *icon = "content-loading-symbolic";
      break;
    case OIP_PUSH_OUTCOME_FAILED:
    default:
      *title = _("Failed");
      *icon = "dialog-error-symbolic";
      *css = "error";
      break;
    }
}

static const char *
kind_word (OipPushKind kind)
{
  switch (kind)
    {
    case OIP_PUSH_KIND_UNDO:
      return _("Undo");
    case OIP_PUSH_KIND_RESTORE:
      return _("Restore");
    case OIP_PUSH_KIND_RETRY:
      return _("Retry of failed images");
    case OIP_PUSH_KIND_PUSH:
    default:
      return _("Push");
    }
}

/* A set of images as small thumbnails, main first, the color image last;
 * beyond a few, a count. */
static void
fill_images (GtkFlowBox         *flow,
             const char * const *images,
             const char         *color)
{
  guint n = images != NULL ? g_strv_length ((char **) images) : 0;
  guint total = n + (color != NULL);
  guint shown = 0;

  for (guint i = 0; i < n && shown < MAX_THUMBNAILS; i++, shown++)
    {
      g_autoptr(OipImageItem) item = oip_image_item_new (images[i]);

      oip_image_item_set_placement (item, i + 1, i == 0, FALSE, FALSE);
      gtk_flow_box_append (flow, oip_image_tile_new_small (item));
    }
  if (color != NULL && shown < MAX_THUMBNAILS)
    {
      g_autoptr(OipImageItem) item = oip_image_item_new (color);

      oip_image_item_set_placement (item, 0, FALSE, TRUE, FALSE);
      gtk_flow_box_append (flow, oip_image_tile_new_small (item));
      shown++;
    }
  if (total > shown)
    {
      /* Translators: more images than the thumbnails shown, “+24” */
      g_autofree char *more = g_strdup_printf (_("+%u"), total - shown);
      GtkWidget *label = gtk_label_new (more);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_flow_box_append (flow, label);
    }
  if (total == 0)
    {
      GtkWidget *label = gtk_label_new (_("No images"));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_flow_box_append (flow, label);
    }
}

static void
fill (OipHistoryRow *self,
      gboolean       show_product)
{
  const OipPushRecord *record = self->record;
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (record->started_at / G_USEC_PER_SEC);
  g_autofree char *when = time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M") : g_strdup ("");
  g_autofree char *product = record->offer_id != NULL
                             ? g_strdup (record->offer_id)
                             : g_strdup_printf ("%" G_GINT64_FORMAT, record->product_id);
  g_autofree char *subtitle = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *label = NULL;
  const char *title, *icon, *css;
  guint sent = record->images != NULL ? record->images->len : 0;
  guint imported = oip_push_record_count_images (record, "imported") + oip_push_record_count_images (record, "skipped");
  guint failed = oip_push_record_count_images (record, "failed");
  const char *note = NULL;

  outcome_words (record->outcome, &title, &icon, &css);
  gtk_label_set_text (self->title_label, title);
  gtk_image_set_from_icon_name (self->outcome_icon, icon);
  if (css != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->outcome_icon), css);

  /* Translators: a recorded push: what kind, the product's offer ID, when */
  subtitle = show_product ? g_strdup_printf (_("%s · %s · %s"), kind_word (record->kind), product, when)
                          : g_strdup_printf (_("%s · %s"), kind_word (record->kind), when);
  gtk_label_set_text (self->subtitle_label, subtitle);

  /* Translators: counts of a recorded push */
  counts = g_strdup_printf (_("Sent %u · Imported %u · Failed %u"), sent, imported, failed);
  gtk_label_set_text (self->counts_label, counts);

  if (record->outcome == OIP_PUSH_OUTCOME_INTERRUPTED)
    note = _("The app stopped during this push: Ozon may or may not have the new images.");
  else if (record->error_message != NULL && record->outcome != OIP_PUSH_OUTCOME_SUCCEEDED)
    note = record->error_message;
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), note != NULL);
  gtk_label_set_text (self->note_label, note ? note : "");

  gtk_widget_set_visible (self->before_box, record->before_known);
  if (record->before_known)
    fill_images (self->before_flow, (const char * const *) record->before_images, record->before_color);
  gtk_widget_set_visible (self->after_box, record->after_images != NULL);
  if (record->after_images != NULL)
    fill_images (self->after_flow, (const char * const *) record->after_images, record->after_color);

  gtk_widget_set_visible (self->restore_button, oip_history_row_can_restore (self));

  /* Translators: a recorded push for screen readers: how it ended, then
   * the line under it */
  label = g_strdup_printf (_("%s: %s"), title, subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
oip_history_row_dispose (GObject *object)
{
  /* The row's child is the row's to unparent: only the pointers go. */
  gtk_widget_dispose_template (GTK_WIDGET (object), OIP_TYPE_HISTORY_ROW);
  G_OBJECT_CLASS (oip_history_row_parent_class)->dispose (object);
}

static void
oip_history_row_finalize (GObject *object)
{
  OipHistoryRow *self = OIP_HISTORY_ROW (object);

  g_clear_pointer (&self->record, oip_push_record_free);
  G_OBJECT_CLASS (oip_history_row_parent_class)->finalize (object);
}

static void
oip_history_row_class_init (OipHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = oip_history_row_dispose;
  object_class->finalize = oip_history_row_finalize;

  /**
   * OipHistoryRow::restore:
   *
   * The seller asked for the images the product had before this push.
   */
  signals[RESTORE] = g_signal_new ("restore", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ozonpush/OzonImagePush/oip-history-row.ui");
  gtk_widget_class_bind_template_child (widget_class, OipHistoryRow, outcome_icon);
  gtk_widget_class_bind_template_child (widget_class, OipHistoryRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, OipHistoryRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, OipHistoryRow, counts_label);
  gtk_widget_class_bind_template_child (widget_class, OipHistoryRow, note_label);
  gtk_widget_class_bind_template_child (widget_class, OipHistoryRow, before_box);
  gtk_widget_class_bind_template_child (widget_class, OipHistoryRow, before_flow);
  gtk_widget_class_bind_template_child (widget_class, OipHistoryRow, after_box);
  gtk_widget_class_bind_template_child (widget_class, OipHistoryRow, after_flow);
  gtk_widget_class_bind_template_child (widget_class, OipHistoryRow, restore_button);
  gtk_widget_class_bind_template_callback (widget_class, on_restore_clicked);
}

static void
oip_history_row_init (OipHistoryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  oip_widget_prepare_buttons (GTK_WIDGET (self));
}

/**
 * oip_history_row_new:
 * @record: the recorded push (copied)
 * @show_product: whether to name the product (the history of all products)
 */
GtkWidget *
oip_history_row_new (const OipPushRecord *record,
                     gboolean             show_product)
{
  OipHistoryRow *self;

  g_return_val_if_fail (record != NULL, NULL);

  self = g_object_new (OIP_TYPE_HISTORY_ROW, NULL);
  self->record = oip_push_record_copy (record);
  fill (self, show_product);
  return GTK_WIDGET (self);
}

/**
 * oip_history_row_get_record:
 *
 * Returns: (transfer none): the recorded push
 */
const OipPushRecord *
oip_history_row_get_record (OipHistoryRow *self)
{
  g_return_val_if_fail (OIP_IS_HISTORY_ROW (self), NULL);
  return self->record;
}

/**
 * oip_history_row_can_restore:
 *
 * Returns: whether the record knows the images the product had before
 *   (and there were any: Ozon needs at least one)
 */
gboolean
oip_history_row_can_restore (OipHistoryRow *self)
{
  const OipPushRecord *record;

  g_return_val_if_fail (OIP_IS_HISTORY_ROW (self), FALSE);
  record = self->record;
  return record->before_known &&
         ((record->before_images != NULL && record->before_images[0] != NULL) || record->before_color != NULL);
}

/**
 * oip_history_row_get_title:
 *
 * Returns: how the push ended, as the row says it
 */
const char *
oip_history_row_get_title (OipHistoryRow *self)
{
  g_return_val_if_fail (OIP_IS_HISTORY_ROW (self), NULL);
  return gtk_label_get_text (self->title_label);
}
