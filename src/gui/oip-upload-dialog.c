/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <glib/gi18n.h>

#include "oip-dialogs.h"
#include "oip-error.h"
#include "oip-gui-error.h"
#include "oip-image-tile.h"
#include "oip-ozon-messages.h"
#include "oip-push-job.h"
#include "oip-push-plan.h"
#include "oip-status-block.h"
#include "oip-upload-dialog.h"
#include "oip-widget-util.h"

/**
 * OipUploadDialog:
 *
 * The seed's UploadModal, and more. The review shows exactly what will be
 * sent (in order, main image marked, color image shown) and everything
 * that will fail or change before anything is sent, in the seller's words:
 * problems by the image's number, images dropped past the limit, pictures
 * from this computer that are not pictures, too small or the wrong shape
 * (each with its own advice), addresses that did not load here, and the
 * images now on Ozon that the push removes, as thumbnails. “Remove Invalid
 * Images” takes every image that cannot be sent out of the window's list
 * in one click.
 *
 * Then it runs an #OipPushJob and shows it: the stage, a progress bar, and
 * each image's state as it changes. Cancel, Esc and × do the same: before
 * anything was sent they stop at once; once Ozon may have the images they
 * ask first (and the question goes away if the push ends meanwhile). The
 * outcome is counted from what Ozon has, with Undo Push, Retry Failed and
 * Retry where they help. Undo and Retry are jobs too (oip-push-job.h):
 * Undo opens this same review for the job that puts the old images back.
 * The dialog holds no workflow of its own.
 *
 * It is the content of a dialog (see oip-dialogs.h): attached to the main
 * window where libadwaita has AdwDialog, a window of its own before.
 */
struct _OipUploadDialog
{
  GtkWidget            parent_instance;

  GtkWidget           *content;
  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  GtkStack            *stack;
  AdwActionRow        *product_row;
  AdwPreferencesGroup *review_group;
  GtkFlowBox          *review_flow;
  GtkLabel            *counts_label;
  AdwPreferencesGroup *warnings_group;
  GtkWidget           *remove_invalid_button;
  AdwStatusPage       *progress_page;
  GtkProgressBar      *progress_bar;
  GtkFlowBox          *progress_flow;
  OipStatusBlock      *result_page;
  GtkWidget           *result_actions;
  GtkWidget           *undo_button;
  GtkWidget           *retry_failed_button;
  AdwPreferencesGroup *details_group;
  AdwPreferencesGroup *result_images_group;
  GtkFlowBox          *result_flow;
  GtkWidget           *cancel_button;
  GtkWidget           *preferences_button;
  GtkWidget           *retry_button;
  GtkWidget           *close_button;
  GtkWidget           *confirm_button;

  OipApplication      *application;
  OipProduct          *product;
  OipImageList        *list;          /* the window's, for Remove Invalid; NULL for Undo/Restore */
  GListModel          *items;         /* what is pushed: the list's items, or the job's */
  OipPushJob          *job;           /* the one under way, or the last */
  const OipPushPlan   *plan;          /* the job's */
  OipPushKind          kind;
  gint64               source_push_id;
  GBinding            *fraction_binding;   /* unowned: unbound before the job goes */
  GCancellable        *cancellable;   /* the run */
  GCancellable        *check_cancellable;
  GPtrArray           *local_problems;     /* OipPushProblem; NULL until checked */
  gboolean             checking;
  GPtrArray           *watched;       /* items whose load-error is followed */
  GCancellable        *preload_cancellable;
  guint                n_preloading;  /* addresses being tried for the review */
  GHashTable          *preload_errors; /* OipImageItem → why it did not load here */
  guint                refresh_id;
  GPtrArray           *warning_rows;
  GPtrArray           *detail_rows;
  GtkWidget           *stop_alert;    /* weak */
  gboolean             succeeded;
  gboolean             close_when_stopped;
};

G_DEFINE_FINAL_TYPE (OipUploadDialog, oip_upload_dialog, GTK_TYPE_WIDGET)

enum {
  FINISHED,
  CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_push (OipUploadDialog *self);
static void refresh_warnings (OipUploadDialog *self);

/* Naming images as the seller sees them {{{1 */

/* “Image 6: …”, “Color image: …”: the tile's number, not an index. */
static char *
item_title (OipImageItem *item,
            const char   *text)
{
  if (oip_image_item_get_is_color (item))
    return g_strdup_printf (_("Color image: %s"), text);
  if (oip_image_item_get_number (item) > 0)
    return g_strdup_printf (_("Image %u: %s"), oip_image_item_get_number (item), text);
  return g_strdup_printf (_("Image: %s"), text);
}

static char *
issue_title (OipUploadDialog          *self,
             const OipValidationIssue *issue)
{
  OipImageItem *item = oip_push_job_get_item_for_issue (self->job, issue);
  const char *reason = _(oip_issue_reason (issue->kind));

  if (!oip_issue_is_url (issue->kind))
    /* Translators: a problem with the product's ID; %s says what */
    return g_strdup_printf (_("Product ID: %s"), reason);
  if (g_str_equal (issue->field, "images360"))
    /* Translators: a problem with a 360° image: its number, what is wrong */
    return g_strdup_printf (_("360° image %u: %s"), issue->index + 1, reason);
  if (item != NULL)
    return item_title (item, reason);
  if (g_str_equal (issue->field, "color_image"))
    return g_strdup_printf (_("Color image: %s"), reason);
  return g_strdup_printf (_("Image %u: %s"), issue->index + 1, reason);
}

/* Pages and buttons {{{1 */

static gboolean
has_local_errors (OipUploadDialog *self)
{
  for (guint i = 0; self->local_problems != NULL && i < self->local_problems->len; i++)
    if (((OipPushProblem *) g_ptr_array_index (self->local_problems, i))->severity == OIP_IMAGE_ERROR)
      return TRUE;
  return FALSE;
}

static gboolean
can_confirm (OipUploadDialog *self)
{
  return oip_push_plan_check (self->plan, NULL) && !self->checking && !has_local_errors (self);
}

static gboolean
on_review (OipUploadDialog *self)
{
  return g_str_equal (gtk_stack_get_visible_child_name (self->stack), "review");
}

static void
update_confirm (OipUploadDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "upload.confirm", on_review (self) && can_confirm (self));
}

/* The keyboard starts on Confirm when it can be pressed (Enter pushes),
 * on Cancel when not. */
static gboolean
focus_default (gpointer data)
{
  OipUploadDialog *self = data;

  if (gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    return G_SOURCE_REMOVE;
  if (on_review (self))
    gtk_widget_grab_focus (can_confirm (self) ? self->confirm_button : self->cancel_button);
  else if (g_str_equal (gtk_stack_get_visible_child_name (self->stack), "result"))
    gtk_widget_grab_focus (self->close_button);
  else
    gtk_widget_grab_focus (self->cancel_button);
  return G_SOURCE_REMOVE;
}

/* Once the dialog's own container has chosen its first focus: first
 * thing at the next turn of the main loop, before thumbnails and drawing. */
static void
focus_default_later (OipUploadDialog *self)
{
  g_idle_add_full (G_PRIORITY_HIGH, focus_default, g_object_ref (self), g_object_unref);
}

static void
show_page (OipUploadDialog *self,
           const char      *page,
           gboolean         retry,
           gboolean         preferences)
{
  gboolean review = g_str_equal (page, "review");
  gboolean progress = g_str_equal (page, "progress");
  gboolean result = g_str_equal (page, "result");

  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_widget_set_visible (self->cancel_button, review || progress);
  gtk_widget_set_visible (self->confirm_button, review);
  gtk_widget_set_visible (self->close_button, result);
  gtk_widget_set_visible (self->retry_button, result && retry);
  gtk_widget_set_visible (self->preferences_button, result && preferences);
  update_confirm (self);
  focus_default_later (self);
}

static void
update_title (OipUploadDialog *self)
{
  switch (self->kind)
    {
    case OIP_PUSH_KIND_UNDO:
      adw_window_title_set_title (self->window_title, _("Undo Push"));
      break;
    case OIP_PUSH_KIND_RESTORE:
      adw_window_title_set_title (self->window_title, _("Restore Images"));
      break;
    case OIP_PUSH_KIND_RETRY:
      adw_window_title_set_title (self->window_title, _("Retry Failed Images"));
      break;
    case OIP_PUSH_KIND_PUSH:
    default:
      adw_window_title_set_title (self->window_title, _("Push Images to Ozon"));
      break;
    }
}

/* Rows {{{1 */

static GtkWidget *
add_row (AdwPreferencesGroup *group,
         GPtrArray           *rows,
         const char          *icon,
         const char          *title,
         const char          *subtitle,
         const char          *css_class)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL && *subtitle != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  if (icon != NULL)
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon));
  if (css_class != NULL)
    gtk_widget_add_css_class (row, css_class);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (rows, row);
  return row;
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static GtkWidget *
create_tile (gpointer item,
             gpointer user_data)
{
  return oip_image_tile_new (item, FALSE);
}

static GtkWidget *
create_small_tile (gpointer item,
                   gpointer user_data)
{
  return oip_image_tile_new_small (item);
}

/* A row that shows images rather than addresses: a sentence over small
 * thumbnails. */
static void
add_images_row (AdwPreferencesGroup *group,
                GPtrArray           *rows,
                const char          *icon,
                const char          *title,
                GListModel          *images,
                const char          *css_class)
{
  GtkWidget *row = g_object_new (ADW_TYPE_PREFERENCES_ROW, "title", title, "activatable", FALSE, NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *flow = gtk_flow_box_new ();

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (header), gtk_image_new_from_icon_name (icon));
  gtk_box_append (GTK_BOX (header), label);
  gtk_box_append (GTK_BOX (box), header);
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 30);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 4);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 4);
  gtk_widget_set_can_focus (flow, FALSE);
  gtk_flow_box_bind_model (GTK_FLOW_BOX (flow), images, create_small_tile, NULL, NULL);
  gtk_widget_set_name (flow, "images");
  gtk_box_append (GTK_BOX (box), flow);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  if (css_class != NULL)
    gtk_widget_add_css_class (row, css_class);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (rows, row);
}

/* The review {{{1 */

static void
unwatch_items (OipUploadDialog *self)
{
  for (guint i = 0; i < self->watched->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->watched, i), self);
  g_ptr_array_set_size (self->watched, 0);
}

static gboolean
refresh_now (gpointer data)
{
  OipUploadDialog *self = data;

  self->refresh_id = 0;
  if (on_review (self))
    refresh_warnings (self);
  return G_SOURCE_REMOVE;
}

/* A thumbnail that failed to load: the review says so (once for many). */
static void
on_load_error (OipUploadDialog *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add_full (G_PRIORITY_DEFAULT, refresh_now, self, NULL);
}

typedef struct
{
  OipUploadDialog *self;
  OipImageItem    *item;
} Preload;

/* Kept by the dialog, not set on the item: the window's tiles are not
 * touched while the review is built. */
static void
on_preloaded (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Preload *preload = user_data;
  g_autoptr(OipUploadDialog) self = preload->self;
  g_autoptr(OipImageItem) item = preload->item;
  g_autoptr(GError) error = NULL;

  g_free (preload);
  if (!oip_image_tile_preload_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_hash_table_insert (self->preload_errors, g_object_ref (item), g_strdup (error->message));
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  g_assert (self->n_preloading > 0);
  if (--self->n_preloading == 0 && g_hash_table_size (self->preload_errors) > 0)
    on_load_error (self);
}

/* Why @item's picture did not load here: its tile's word, or the review's
 * own try. */
static const char *
load_error_of (OipUploadDialog *self,
               OipImageItem    *item)
{
  if (oip_image_item_get_load_error (item) != NULL)
    return oip_image_item_get_load_error (item);
  return g_hash_table_lookup (self->preload_errors, item);
}

/* Every address is tried, not only those whose tiles are in view. */
static void
preload_items (OipUploadDialog *self)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  g_cancellable_cancel (self->preload_cancellable);
  g_clear_object (&self->preload_cancellable);
  self->preload_cancellable = g_cancellable_new ();
  g_hash_table_remove_all (self->preload_errors);
  self->n_preloading = g_list_model_get_n_items (self->items);
  for (guint i = 0; i < g_list_model_get_n_items (self->items); i++)
    {
      g_autoptr(OipImageItem) item = g_list_model_get_item (self->items, i);

      Preload *preload = g_new0 (Preload, 1);

      preload->self = g_object_ref (self);
      preload->item = g_object_ref (item);
      oip_image_tile_preload_async (item, scale, self->preload_cancellable, on_preloaded, preload);
    }
}

static void
watch_items (OipUploadDialog *self)
{
  unwatch_items (self);
  for (guint i = 0; i < g_list_model_get_n_items (self->items); i++)
    {
      g_autoptr(OipImageItem) item = g_list_model_get_item (self->items, i);

      g_signal_connect_object (item, "notify::load-error", G_CALLBACK (on_load_error), self, G_CONNECT_SWAPPED);
      g_ptr_array_add (self->watched, g_object_ref (item));
    }
}

/* Every image that cannot be sent: invalid and duplicate addresses, and
 * pictures from this computer with a problem that stops the push. */
static GPtrArray *
removable_items (OipUploadDialog *self)
{
  GPtrArray *items = g_ptr_array_new ();

  for (guint i = 0; i < self->plan->errors->len; i++)
    {
      OipImageItem *item = oip_push_job_get_item_for_issue (self->job, g_ptr_array_index (self->plan->errors, i));

      if (item != NULL && !g_ptr_array_find (items, item, NULL))
        g_ptr_array_add (items, item);
    }
  for (guint i = 0; self->local_problems != NULL && i < self->local_problems->len; i++)
    {
      OipPushProblem *problem = g_ptr_array_index (self->local_problems, i);

      if (problem->severity == OIP_IMAGE_ERROR && !g_ptr_array_find (items, problem->item, NULL))
        g_ptr_array_add (items, problem->item);
    }
  return items;
}

static void
refresh_warnings (OipUploadDialog *self)
{
  g_autoptr(GListStore) removed = g_list_store_new (OIP_TYPE_IMAGE_ITEM);
  g_autoptr(GPtrArray) removable = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *current = oip_product_get_images (self->product);
  const char *intro;

  clear_rows (self->warnings_group, self->warning_rows);

  switch (self->kind)
    {
    case OIP_PUSH_KIND_UNDO:
      intro = _("This puts back the images the product had before the push you undo");
      break;
    case OIP_PUSH_KIND_RESTORE:
      intro = _("This puts back the images the product had before the push you chose");
      break;
    case OIP_PUSH_KIND_PUSH:
    case OIP_PUSH_KIND_RETRY:
    default:
      intro = _("Every push replaces all of the product’s images on Ozon");
      break;
    }
  add_row (self->warnings_group, self->warning_rows, "dialog-information-symbolic", intro, NULL, NULL);

  if (oip_push_job_get_n_local (self->job) > 0)
    {
      guint n_local = oip_push_job_get_n_local (self->job);
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u picture from this computer is uploaded to your storage first",
                                                            "%u pictures from this computer are uploaded to your storage first",
                                                            n_local),
                                               n_local);

      add_row (self->warnings_group, self->warning_rows, "folder-pictures-symbolic", text, NULL, NULL);
    }

  /* What leaves Ozon, as the pictures themselves. */
  for (guint i = 0; current[i] != NULL; i++)
    if (!g_ptr_array_find_with_equal_func (self->plan->images, current[i], g_str_equal, NULL))
      {
        g_autoptr(OipImageItem) item = oip_image_item_new (current[i]);

        oip_image_item_set_placement (item, i + 1, i == 0, FALSE, FALSE);
        g_list_store_append (removed, item);
      }
  if (g_list_model_get_n_items (G_LIST_MODEL (removed)) > 0)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (removed));
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u image now on Ozon will be removed",
                                                            "%u images now on Ozon will be removed",
                                                            n),
                                               n);

      add_images_row (self->warnings_group, self->warning_rows, "user-trash-symbolic", text,
                      G_LIST_MODEL (removed), "warning");
    }

  for (guint i = 0; i < self->plan->notices->len; i++)
    {
      g_autofree char *text = oip_notice_describe (g_ptr_array_index (self->plan->notices, i));

      add_row (self->warnings_group, self->warning_rows, "dialog-warning-symbolic", text, NULL, "warning");
    }

  for (guint i = 0; i < self->plan->errors->len; i++)
    {
      OipValidationIssue *issue = g_ptr_array_index (self->plan->errors, i);
      g_autofree char *text = issue_title (self, issue);

      add_row (self->warnings_group, self->warning_rows, "dialog-error-symbolic", text, issue->url, "error");
    }

  /* Pictures from this computer, as the upload will check them. */
  if (self->checking)
    {
      GtkWidget *row = add_row (self->warnings_group, self->warning_rows, NULL,
                                _("Checking the pictures from this computer…"), NULL, NULL);
      GtkWidget *spinner = gtk_spinner_new ();

      gtk_spinner_start (GTK_SPINNER (spinner));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), spinner);
    }
  for (guint i = 0; self->local_problems != NULL && i < self->local_problems->len; i++)
    {
      OipPushProblem *problem = g_ptr_array_index (self->local_problems, i);
      gboolean blocks = problem->severity == OIP_IMAGE_ERROR;
      g_autofree char *text = item_title (problem->item, problem->message);

      add_row (self->warnings_group, self->warning_rows, blocks ? "dialog-error-symbolic" : "dialog-warning-symbolic",
               text, problem->hint, blocks ? "error" : "warning");
    }

  /* Addresses that did not load here may not load for Ozon either: said,
   * not blocking (the seller's network may be the one at fault); many of
   * them in one row. */
  {
    g_autoptr(GPtrArray) unloaded = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; i < g_list_model_get_n_items (self->items); i++)
      {
        g_autoptr(OipImageItem) item = g_list_model_get_item (self->items, i);

        if (load_error_of (self, item) != NULL && !oip_image_item_is_local (item) &&
            oip_image_item_is_valid (item) && !oip_image_item_get_over_limit (item))
          g_ptr_array_add (unloaded, g_steal_pointer (&item));
      }
    if (unloaded->len == 1)
      {
        OipImageItem *item = g_ptr_array_index (unloaded, 0);
        g_autofree char *text = NULL;
        g_autofree char *subtitle = g_strdup_printf ("%s\n%s", load_error_of (self, item),
                                                     oip_image_item_get_url (item));

        if (oip_image_item_get_is_color (item))
          text = g_strdup (_("The color image could not be loaded here; Ozon may fail to fetch it too"));
        else
          /* Translators: %u is the image's number */
          text = g_strdup_printf (_("Image %u could not be loaded here; Ozon may fail to fetch it too"),
                                  oip_image_item_get_number (item));
        add_row (self->warnings_group, self->warning_rows, "dialog-warning-symbolic", text, subtitle, "warning");
      }
    else if (unloaded->len > 1)
      {
        g_autoptr(GString) which = g_string_new (NULL);
        g_autofree char *text = NULL;
        g_autofree char *subtitle = NULL;

        for (guint i = 0; i < unloaded->len; i++)
          {
            OipImageItem *item = g_ptr_array_index (unloaded, i);

            if (i > 0)
              /* Translators: between the numbers of a list of images */
              g_string_append (which, _(", "));
            if (oip_image_item_get_is_color (item))
              g_string_append (which, _("the color image"));
            else
              g_string_append_printf (which, "%u", oip_image_item_get_number (item));
          }
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%u image could not be loaded here; Ozon may fail to fetch it too",
                                             "%u images could not be loaded here; Ozon may fail to fetch them too",
                                             unloaded->len),
                                unloaded->len);
        /* Translators: which images (their numbers), then why the first failed */
        subtitle = g_strdup_printf (_("Images %s\n%s"), which->str,
                                    load_error_of (self, g_ptr_array_index (unloaded, 0)));
        add_row (self->warnings_group, self->warning_rows, "dialog-warning-symbolic", text, subtitle, "warning");
      }
  }

  if (!oip_push_plan_check (self->plan, &error))
    add_row (self->warnings_group, self->warning_rows, "dialog-error-symbolic", error->message,
             oip_error_hint (error->code), "error");

  removable = removable_items (self);
  gtk_widget_set_visible (self->remove_invalid_button, self->list != NULL && removable->len > 0);
  update_confirm (self);
}

static void
fill_review (OipUploadDialog *self)
{
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *sku = NULL;
  g_autofree char *product_id = g_strdup_printf ("%" G_GINT64_FORMAT, oip_product_get_product_id (self->product));
  const char *name = oip_product_get_name (self->product);
  guint n = self->plan->images->len;

  sku = oip_product_get_sku (self->product) > 0
        ? g_strdup_printf ("%" G_GINT64_FORMAT, oip_product_get_sku (self->product))
        : g_strdup (_("Not set"));
  /* Translators: the product's ids under its name; the seed's
   * “SKU: {value} / Product ID: {value}” */
  subtitle = g_strdup_printf (_("Offer ID: %s · SKU: %s · Product ID: %s"),
                              oip_product_get_offer_id (self->product), sku, product_id);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->product_row),
                                 name && *name ? name : oip_product_get_offer_id (self->product));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->product_row), FALSE);
  adw_action_row_set_subtitle (self->product_row, subtitle);

  /* Translators: the seed's “待推送图片 ({count} 张)” */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Images to Push (%u)", "Images to Push (%u)", n), n);
  adw_preferences_group_set_title (self->review_group, title);
  /* The very images that are pushed, in order: their states show here. */
  gtk_flow_box_bind_model (self->review_flow, self->items, create_tile, NULL, NULL);

  /* Translators: counts against Ozon's limits */
  counts = g_strdup_printf (_("Main images: %u of %u · Color image: %u of %u · 360° images: %u of %u"),
                            n, OIP_MAX_IMAGES, self->plan->color_image != NULL, OIP_MAX_COLOR_IMAGES,
                            self->plan->images360->len, OIP_MAX_IMAGES360);
  gtk_label_set_text (self->counts_label, counts);

  update_title (self);
  watch_items (self);
  preload_items (self);
  refresh_warnings (self);
}

/* Checking the pictures from this computer {{{1 */

/* In the images' order, as the seller reads the tiles; the color image last. */
static int
compare_problems (gconstpointer a,
                  gconstpointer b)
{
  OipImageItem *first = (*(OipPushProblem **) a)->item;
  OipImageItem *second = (*(OipPushProblem **) b)->item;
  guint n1 = oip_image_item_get_is_color (first) ? G_MAXUINT : oip_image_item_get_number (first);
  guint n2 = oip_image_item_get_is_color (second) ? G_MAXUINT : oip_image_item_get_number (second);

  return n1 < n2 ? -1 : n1 > n2;
}

static void
on_local_checked (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(OipUploadDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = oip_push_job_check_local_finish (OIP_PUSH_JOB (source), result, &error);
  gboolean had_focus;

  /* A newer check, or the dialog went. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || OIP_PUSH_JOB (source) != self->job)
    return;
  self->checking = FALSE;
  g_clear_pointer (&self->local_problems, g_ptr_array_unref);
  self->local_problems = problems != NULL ? g_ptr_array_ref (problems)
                                          : g_ptr_array_new_with_free_func ((GDestroyNotify) oip_push_problem_free);
  g_ptr_array_sort (self->local_problems, compare_problems);
  had_focus = gtk_widget_has_focus (self->cancel_button);
  if (on_review (self))
    refresh_warnings (self);
  /* The keyboard waited on Cancel while the check ran. */
  if (had_focus && on_review (self) && can_confirm (self))
    gtk_widget_grab_focus (self->confirm_button);
}

static void
check_local (OipUploadDialog *self)
{
  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  g_clear_pointer (&self->local_problems, g_ptr_array_unref);
  self->checking = oip_push_job_get_n_local (self->job) > 0;
  if (!self->checking)
    return;
  self->check_cancellable = g_cancellable_new ();
  oip_push_job_check_local_async (self->job, self->check_cancellable, on_local_checked, g_object_ref (self));
}

/* The job {{{1 */

static void on_progress (OipUploadDialog *self);

static void
set_job (OipUploadDialog *self,
         OipPushJob      *job)
{
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  if (self->fraction_binding != NULL)
    g_binding_unbind (g_steal_pointer (&self->fraction_binding));
  g_set_object (&self->job, job);
  self->plan = oip_push_job_get_plan (job);
  self->kind = oip_push_job_get_kind (job);
  self->source_push_id = oip_push_job_get_source_push_id (job);
  g_signal_connect_object (job, "notify::stage", G_CALLBACK (on_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (job, "notify::fraction", G_CALLBACK (on_progress), self, G_CONNECT_SWAPPED);
  self->fraction_binding = g_object_bind_property (job, "fraction", self->progress_bar, "fraction",
                                                   G_BINDING_SYNC_CREATE);
  /* Each image's state, live, while the push runs. */
  gtk_flow_box_bind_model (self->progress_flow, oip_push_job_get_items (job), create_tile, NULL, NULL);
}

/* A fresh job for every run from the same items: a retry too. */
static void
new_job (OipUploadDialog *self)
{
  g_autoptr(OipPushJob) job = oip_push_job_new (oip_application_get_context (self->application),
                                                oip_product_get_product_id (self->product), self->items);

  if (self->kind != OIP_PUSH_KIND_PUSH)
    oip_push_job_set_kind (job, self->kind, self->source_push_id);
  set_job (self, job);
}

/* The review of @job, whose items are its own (Undo, Restore). */
static void
review_job (OipUploadDialog *self,
            OipPushJob      *job)
{
  g_clear_object (&self->list);
  g_set_object (&self->items, oip_push_job_get_items (job));
  set_job (self, job);
  check_local (self);
  fill_review (self);
  show_page (self, "review", FALSE, FALSE);
}

/* Results {{{1 */

static gboolean
can_retry (int code)
{
  return code == OIP_ERROR_NETWORK || code == OIP_ERROR_TIMEOUT || code == OIP_ERROR_SERVER ||
         code == OIP_ERROR_RATE_LIMITED || code == OIP_ERROR_BAD_RESPONSE ||
         code == OIP_ERROR_IMPORT_PENDING || code == OIP_ERROR_KEYRING_UNAVAILABLE ||
         code == OIP_ERROR_KEYRING_LOCKED || code == OIP_ERROR_STORAGE;
}

/* Undo needs to know what the product had, and Ozon needs at least one
 * image to put back. */
static gboolean
can_undo (OipUploadDialog *self)
{
  const OipPushResult *result = oip_push_job_get_result (self->job);
  const OipPushRecord *record = oip_push_job_get_record (self->job);

  return result != NULL && record != NULL && record->id > 0 && record->before_known &&
         ((record->before_images != NULL && record->before_images[0] != NULL) || record->before_color != NULL) &&
         (result->outcome == OIP_PUSH_OUTCOME_SUCCEEDED || result->outcome == OIP_PUSH_OUTCOME_PARTIAL);
}

static gboolean
can_retry_failed (OipUploadDialog *self)
{
  const OipPushResult *result = oip_push_job_get_result (self->job);

  return result != NULL && result->import_accepted && result->n_failed > 0;
}

/* Each image that did not make it: Ozon's words explained where they are
 * known (the original in the tooltip), with what to do about it. */
static void
add_failed_rows (OipUploadDialog *self)
{
  GListModel *job_items = oip_push_job_get_items (self->job);

  for (guint i = 0; i < g_list_model_get_n_items (job_items); i++)
    {
      g_autoptr(OipImageItem) item = g_list_model_get_item (job_items, i);
      const char *ozon = oip_image_item_get_ozon_message (item);
      const char *explained = oip_ozon_message_translate (ozon, NULL);
      const char *hint = oip_image_item_get_hint (item);
      g_autofree char *title = NULL;
      g_autoptr(GString) subtitle = g_string_new (NULL);
      GtkWidget *row;

      if (oip_image_item_get_state (item) != OIP_IMAGE_STATE_FAILED)
        continue;
      title = item_title (item, explained ? explained
                                          : oip_image_item_get_error (item) ? oip_image_item_get_error (item)
                                                                            : _("Failed"));
      if (hint != NULL)
        g_string_append_printf (subtitle, "%s\n", hint);
      if (ozon != NULL && explained == NULL)
        g_string_append_printf (subtitle, "%s\n", ozon);
      {
        /* A file on this computer by its path, as the seller knows it. */
        g_autofree char *path = oip_image_item_is_local (item)
                                ? g_filename_from_uri (oip_image_item_get_url (item), NULL, NULL) : NULL;
        g_autofree char *shown = path != NULL ? g_filename_display_name (path) : NULL;

        g_string_append (subtitle, shown != NULL ? shown : oip_image_item_get_url (item));
      }
      row = add_row (self->details_group, self->detail_rows, "dialog-error-symbolic", title, subtitle->str, "error");
      if (ozon != NULL)
        {
          /* Translators: Ozon's own words, in its language, in a tooltip */
          g_autofree char *tooltip = g_strdup_printf (_("Ozon said: %s"), ozon);

          gtk_widget_set_tooltip_text (row, tooltip);
        }
    }
}

static void
show_result (OipUploadDialog *self,
             const GError    *run_error)
{
  const OipPushResult *result = oip_push_job_get_result (self->job);
  g_autoptr(GError) outcome_error = NULL;
  g_autoptr(GListStore) now = NULL;
  g_autofree char *text = NULL;
  const GError *error = run_error;
  gboolean undo, retry_failed;
  int code;

  if (error == NULL && result != NULL)
    error = outcome_error = oip_push_result_to_error (result);
  code = error == NULL ? 0 : error->domain == OIP_ERROR ? error->code : OIP_ERROR_FAILED;
  self->succeeded = error == NULL;
  clear_rows (self->details_group, self->detail_rows);
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_page), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_page), "warning");

  if (error == NULL)
    {
      text = oip_push_result_describe (result);
      oip_status_block_set_icon_name (self->result_page, "object-select-symbolic");
      oip_status_block_set_title (self->result_page, _("Push Succeeded!"));
      oip_status_block_set_description (self->result_page, text);
    }
  else if (code == OIP_ERROR_PARTIAL)
    {
      /* Some images made it: never the green success. */
      text = g_strdup_printf ("%s\n%s", error->message, oip_gui_error_hint (error));
      oip_status_block_set_icon_name (self->result_page, "dialog-warning-symbolic");
      oip_status_block_set_title (self->result_page, _("Some Images Failed"));
      oip_status_block_set_description (self->result_page, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->result_page), "warning");
    }
  else
    {
      /* Pictures refused here each get their own advice below: the
       * headline does not give one that fits none of them. */
      text = g_strdup_printf ("%s\n%s", error->message,
                              code == OIP_ERROR_IMAGE_REJECTED
                              ? _("What is wrong with each picture, and what to do, is listed below.")
                              : oip_gui_error_hint (error));
      oip_status_block_set_icon_name (self->result_page, "dialog-error-symbolic");
      oip_status_block_set_title (self->result_page, _("Push Failed"));
      oip_status_block_set_description (self->result_page, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->result_page), "error");
    }

  if (result != NULL)
    {
      for (guint i = 0; i < result->notices->len; i++)
        {
          g_autofree char *notice = oip_notice_describe (g_ptr_array_index (result->notices, i));

          add_row (self->details_group, self->detail_rows, "dialog-warning-symbolic", notice, NULL, "warning");
        }
      for (guint i = 0; i < result->warnings->len; i++)
        add_row (self->details_group, self->detail_rows, "dialog-information-symbolic",
                 g_ptr_array_index (result->warnings, i), NULL, NULL);
    }
  add_failed_rows (self);
  if (result != NULL && result->current_images != NULL)
    {
      now = g_list_store_new (OIP_TYPE_IMAGE_ITEM);
      /* Shown in the order Ozon has them: the main image first. */
      for (guint i = 0; result->current_images[i] != NULL; i++)
        {
          g_autoptr(OipImageItem) item = oip_image_item_new (result->current_images[i]);

          oip_image_item_set_placement (item, i + 1, i == 0, FALSE, FALSE);
          g_list_store_append (now, item);
        }
      if (result->current_color_image != NULL)
        {
          g_autoptr(OipImageItem) item = oip_image_item_new (result->current_color_image);

          oip_image_item_set_placement (item, 0, FALSE, TRUE, FALSE);
          g_list_store_append (now, item);
        }
    }
  else if (code == OIP_ERROR_VALIDATION)
    for (guint i = 0; i < self->plan->errors->len; i++)
      {
        OipValidationIssue *issue = g_ptr_array_index (self->plan->errors, i);
        g_autofree char *row = issue_title (self, issue);

        add_row (self->details_group, self->detail_rows, "dialog-error-symbolic", row, issue->url, "error");
      }

  gtk_widget_set_visible (GTK_WIDGET (self->details_group), self->detail_rows->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->result_images_group), now != NULL);
  if (now != NULL)
    gtk_flow_box_bind_model (self->result_flow, G_LIST_MODEL (now), create_tile, NULL, NULL);

  undo = can_undo (self);
  retry_failed = can_retry_failed (self);
  gtk_widget_set_visible (self->undo_button, undo);
  gtk_widget_set_visible (self->retry_failed_button, retry_failed);
  gtk_widget_set_visible (self->result_actions, undo || retry_failed);

  show_page (self, "result", can_retry (code) || (code == OIP_ERROR_PARTIAL && !retry_failed),
             oip_error_is_auth (error) || code == OIP_ERROR_KEYRING_UNAVAILABLE ||
             code == OIP_ERROR_KEYRING_LOCKED || code == OIP_ERROR_CREDENTIALS_MALFORMED ||
             code == OIP_ERROR_STORAGE_NOT_CONFIGURED || code == OIP_ERROR_STORAGE_DENIED);
}

/* Running {{{1 */

static void
on_progress (OipUploadDialog *self)
{
  g_autofree char *text = NULL;
  OipPushJob *job = self->job;

  switch (oip_push_job_get_stage (job))
    {
    case OIP_PUSH_STAGE_PREPARING:
      text = g_strdup (_("Reading the product’s images on Ozon…"));
      break;
    case OIP_PUSH_STAGE_UPLOADING:
      {
        g_autofree char *sent = g_format_size (oip_push_job_get_bytes_sent (job));
        g_autofree char *total = g_format_size (oip_push_job_get_bytes_total (job));

        /* Translators: “Uploading to your storage: 3 of 8 images (1.2 MB of 9.6 MB)…” */
        text = g_strdup_printf (_("Uploading to your storage: %u of %u images (%s of %s)…"),
                                oip_push_job_get_n_uploaded (job), oip_push_job_get_n_local (job),
                                sent, total);
      }
      break;
    case OIP_PUSH_STAGE_SENDING:
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Sending %u image to Ozon…",
                                           "Sending %u images to Ozon…", self->plan->images->len),
                              self->plan->images->len);
      break;
    case OIP_PUSH_STAGE_IMPORTING:
      text = g_strdup (_("Ozon is importing the images…"));
      break;
    case OIP_PUSH_STAGE_READING_BACK:
      text = g_strdup (_("Reading back the product’s images…"));
      break;
    case OIP_PUSH_STAGE_IDLE:
    case OIP_PUSH_STAGE_DONE:
    default:
      return;
    }
  adw_status_page_set_description (self->progress_page, text);
}

static void
on_pushed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OipUploadDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  oip_push_job_run_finish (OIP_PUSH_JOB (source), result, &error);
  g_clear_object (&self->cancellable);

  /* The push ended while the seller was asked whether to stop it: the
   * question has no object any more. */
  if (self->stop_alert != NULL && oip_alert_has_response (self->stop_alert, "keep"))
    oip_alert_respond (self->stop_alert, "keep");

  g_signal_emit (self, signals[FINISHED], 0, self->job);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      const OipPushResult *push_result = oip_push_job_get_result (self->job);
      g_autofree char *text = push_result ? oip_push_result_describe (push_result) : NULL;

      if (self->close_when_stopped)
        {
          g_signal_emit (self, signals[CLOSED], 0);
          oip_dialog_force_close (GTK_WIDGET (self));
          return;
        }
      show_page (self, "review", FALSE, FALSE);
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text ? text : _("Push cancelled")));
      return;
    }
  show_result (self, error);
}

static void
start_push (OipUploadDialog *self)
{
  if (oip_push_job_get_stage (self->job) != OIP_PUSH_STAGE_IDLE)
    new_job (self);
  self->close_when_stopped = FALSE;
  self->cancellable = g_cancellable_new ();
  adw_status_page_set_description (self->progress_page, NULL);
  show_page (self, "progress", FALSE, FALSE);
  oip_push_job_run_async (self->job, self->cancellable, on_pushed, g_object_ref (self));
}

/* Stopping {{{1 */

static void
on_stop_answer (GtkWidget       *alert,
                const char      *response,
                OipUploadDialog *self)
{
  if (g_str_equal (response, "stop") && self->cancellable != NULL)
    {
      self->close_when_stopped = TRUE;
      g_cancellable_cancel (self->cancellable);
    }
}

/* Cancel, Esc and × all come here. Before anything was sent, the push
 * stops at once; once Ozon may have the images, the seller is asked.
 *
 * Returns: whether the dialog may close now */
static gboolean
request_stop (OipUploadDialog *self)
{
  OipPushStage stage;
  GtkWidget *ask;

  if (self->cancellable == NULL)
    return TRUE;

  stage = oip_push_job_get_stage (self->job);
  if (stage <= OIP_PUSH_STAGE_UPLOADING)
    {
      g_cancellable_cancel (self->cancellable);
      return FALSE;
    }
  if (self->stop_alert != NULL)
    return FALSE;

  ask = oip_alert_new (_("Stop Pushing?"),
                       _("Ozon may already have received the images. "
                         "If you stop now, you will not see how the import ends."));
  oip_alert_add_response (ask, "keep", _("_Keep Pushing"), ADW_RESPONSE_DEFAULT);
  oip_alert_add_response (ask, "stop", _("_Stop"), ADW_RESPONSE_DESTRUCTIVE);
  oip_alert_set_default_response (ask, "keep");
  oip_alert_set_close_response (ask, "keep");
  g_set_weak_pointer (&self->stop_alert, ask);
  oip_alert_present (ask, GTK_WIDGET (self), (OipAlertFunc) on_stop_answer, self);
  return FALSE;
}

static gboolean
on_close (GtkWidget *content)
{
  OipUploadDialog *self = OIP_UPLOAD_DIALOG (content);

  if (!request_stop (self))
    return FALSE;
  g_signal_emit (self, signals[CLOSED], 0);
  return TRUE;
}

/* Actions {{{1 */

static void
confirm_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OipUploadDialog *self = OIP_UPLOAD_DIALOG (widget);

  if (!on_review (self) || !can_confirm (self))
    return;
  start_push (self);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  start_push (OIP_UPLOAD_DIALOG (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  /* The same as Esc and ×. */
  oip_dialog_close (widget);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  oip_dialog_close (widget);
}

/* Undo: the normal review, for the job that puts back what the product
 * had right before this push. */
static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OipUploadDialog *self = OIP_UPLOAD_DIALOG (widget);
  const OipPushRecord *record = oip_push_job_get_record (self->job);
  g_autoptr(OipPushJob) job = NULL;
  g_autoptr(GError) error = NULL;

  if (self->cancellable != NULL || record == NULL)
    return;
  job = oip_push_job_new_restore (oip_application_get_context (self->application), record,
                                  OIP_PUSH_KIND_UNDO, &error);
  if (job == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  review_job (self, job);
}

/* Retry Failed: the same images again at once, the failed ones under new
 * addresses, the others as Ozon has them. */
static void
retry_failed_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  OipUploadDialog *self = OIP_UPLOAD_DIALOG (widget);
  const OipPushResult *result = oip_push_job_get_result (self->job);
  GListModel *items = oip_push_job_get_items (self->job);
  g_autoptr(OipPushJob) job = NULL;

  if (self->cancellable != NULL || result == NULL || oip_push_job_prepare_retry (items) == 0)
    return;
  job = oip_push_job_new (oip_application_get_context (self->application),
                          oip_product_get_product_id (self->product), items);
  oip_push_job_set_kind (job, OIP_PUSH_KIND_RETRY, result->history_id);
  set_job (self, job);
  update_title (self);
  start_push (self);
}

static void
remove_invalid_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  OipUploadDialog *self = OIP_UPLOAD_DIALOG (widget);
  g_autoptr(GPtrArray) removable = NULL;
  GListModel *model;
  g_autofree char *text = NULL;
  guint removed = 0;

  if (self->list == NULL || self->cancellable != NULL)
    return;
  removable = removable_items (self);
  model = oip_image_list_get_model (self->list);
  for (guint i = 0; i < removable->len; i++)
    for (guint position = 0; position < g_list_model_get_n_items (model); position++)
      {
        g_autoptr(OipImageItem) item = g_list_model_get_item (model, position);

        if (item == g_ptr_array_index (removable, i))
          {
            oip_image_list_remove (self->list, position);
            removed++;
            break;
          }
      }

  new_job (self);
  check_local (self);
  fill_review (self);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u image removed from the list",
                                       "%u images removed from the list", removed),
                          removed);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
  focus_default_later (self);
}

/* Enter pushes from anywhere in the review (a row, the list), caught
 * before the focused widget takes it; a focused button (Cancel, Remove
 * Invalid Images) still does its own. */
static gboolean
on_enter (GtkWidget *widget,
          GVariant  *args,
          gpointer   user_data)
{
  OipUploadDialog *self = OIP_UPLOAD_DIALOG (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (!on_review (self) || !can_confirm (self))
    return FALSE;
  if (focus != NULL && (GTK_IS_BUTTON (focus) || gtk_widget_get_ancestor (focus, GTK_TYPE_BUTTON) != NULL))
    return FALSE;
  start_push (self);
  return TRUE;
}

/* GObject {{{1 */

static void
oip_upload_dialog_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (oip_upload_dialog_parent_class)->map (widget);
  focus_default (widget);
  focus_default_later (OIP_UPLOAD_DIALOG (widget));
}

static void
oip_upload_dialog_dispose (GObject *object)
{
  OipUploadDialog *self = (OipUploadDialog *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->check_cancellable);
  g_cancellable_cancel (self->preload_cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  unwatch_items (self);
  if (self->fraction_binding != NULL)
    g_binding_unbind (g_steal_pointer (&self->fraction_binding));
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_clear_weak_pointer (&self->stop_alert);
  gtk_widget_dispose_template (GTK_WIDGET (self), OIP_TYPE_UPLOAD_DIALOG);

  G_OBJECT_CLASS (oip_upload_dialog_parent_class)->dispose (object);
}

static void
oip_upload_dialog_finalize (GObject *object)
{
  OipUploadDialog *self = (OipUploadDialog *)object;

  g_clear_object (&self->application);
  g_clear_object (&self->product);
  g_clear_object (&self->list);
  g_clear_object (&self->items);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->check_cancellable);
  g_clear_object (&self->preload_cancellable);
  g_clear_object (&self->job);
  g_clear_pointer (&self->local_problems, g_ptr_array_unref);
  g_ptr_array_unref (self->watched);
  g_hash_table_unref (self->preload_errors);
  g_ptr_array_unref (self->warning_rows);
  g_ptr_array_unref (self->detail_rows);

  G_OBJECT_CLASS (oip_upload_dialog_parent_class)->finalize (object);
}

static void
oip_upload_dialog_class_init (OipUploadDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = oip_upload_dialog_dispose;
  object_class->finalize = oip_upload_dialog_finalize;
  widget_class->map = oip_upload_dialog_map;

  /**
   * OipUploadDialog::finished:
   * @job: the job that ran
   *
   * A push ended, whichever way: the product on Ozon may have changed.
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, OIP_TYPE_PUSH_JOB);
  /**
   * OipUploadDialog::closed:
   *
   * The seller closed the dialog (or it closed after Stop); its last job
   * is oip_upload_dialog_get_job().
   */
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (OIP_TYPE_STATUS_BLOCK);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ozonpush/OzonImagePush/oip-upload-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, content);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, product_row);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, review_group);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, review_flow);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, counts_label);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, warnings_group);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, remove_invalid_button);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, progress_page);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, progress_flow);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, result_page);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, result_actions);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, undo_button);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, retry_failed_button);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, details_group);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, result_images_group);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, result_flow);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, preferences_button);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, retry_button);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, confirm_button);

  gtk_widget_class_install_action (widget_class, "upload.confirm", NULL, confirm_action);
  gtk_widget_class_install_action (widget_class, "upload.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "upload.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "upload.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "upload.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "upload.retry-failed", NULL, retry_failed_action);
  gtk_widget_class_install_action (widget_class, "upload.remove-invalid", NULL, remove_invalid_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
oip_upload_dialog_init (OipUploadDialog *self)
{
  const guint enter_keys[] = { GDK_KEY_Return, GDK_KEY_KP_Enter, GDK_KEY_ISO_Enter };
  GtkEventController *enter = gtk_shortcut_controller_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_event_controller_set_name (enter, "oip-enter");
  gtk_event_controller_set_propagation_phase (enter, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (enter_keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (enter),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (enter_keys[i], 0),
                                                            gtk_callback_action_new (on_enter, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), enter);
  oip_widget_prepare_buttons (GTK_WIDGET (self));
  self->warning_rows = g_ptr_array_new ();
  self->detail_rows = g_ptr_array_new ();
  self->watched = g_ptr_array_new_with_free_func (g_object_unref);
  self->preload_errors = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, g_free);
}

static OipUploadDialog *
create (OipApplication *application,
        OipProduct     *product)
{
  OipUploadDialog *self = g_object_new (OIP_TYPE_UPLOAD_DIALOG, NULL);
  GtkWidget *dialog = oip_dialog_new (GTK_WIDGET (self), _("Push Images to Ozon"), 760, 720);

  self->application = g_object_ref (application);
  self->product = g_object_ref (product);
  oip_dialog_set_close_func (dialog, on_close);
  return self;
}

/**
 * oip_upload_dialog_new:
 * @list: the window's image list; the dialog pushes its very items, so
 *   wherever they are shown their state follows the push, and “Remove
 *   Invalid Images” takes images out of it
 *
 * Opens on the review of @list for @product, in a dialog of its own
 * (oip_dialog_get_for()), to present with oip_dialog_present().
 */
OipUploadDialog *
oip_upload_dialog_new (OipApplication *application,
                       OipProduct     *product,
                       OipImageList   *list)
{
  OipUploadDialog *self;

  g_return_val_if_fail (OIP_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (OIP_IS_PRODUCT (product), NULL);
  g_return_val_if_fail (OIP_IS_IMAGE_LIST (list), NULL);

  self = create (application, product);
  self->list = g_object_ref (list);
  self->items = g_object_ref (oip_image_list_get_model (list));
  self->kind = OIP_PUSH_KIND_PUSH;
  new_job (self);
  check_local (self);
  fill_review (self);
  show_page (self, "review", FALSE, FALSE);
  return self;
}

/**
 * oip_upload_dialog_new_for_job:
 * @job: a job not yet run, such as oip_push_job_new_restore()'s
 *
 * Opens on the review of @job, as for any push: the seller confirms.
 */
OipUploadDialog *
oip_upload_dialog_new_for_job (OipApplication *application,
                               OipProduct     *product,
                               OipPushJob     *job)
{
  OipUploadDialog *self;

  g_return_val_if_fail (OIP_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (OIP_IS_PRODUCT (product), NULL);
  g_return_val_if_fail (OIP_IS_PUSH_JOB (job), NULL);

  self = create (application, product);
  review_job (self, job);
  return self;
}

/**
 * oip_upload_dialog_get_job:
 *
 * Returns: (transfer none): the push job the dialog shows
 */
OipPushJob *
oip_upload_dialog_get_job (OipUploadDialog *self)
{
  g_return_val_if_fail (OIP_IS_UPLOAD_DIALOG (self), NULL);
  return self->job;
}

/**
 * oip_upload_dialog_get_page:
 *
 * Returns: "review", "progress" or "result"
 */
const char *
oip_upload_dialog_get_page (OipUploadDialog *self)
{
  g_return_val_if_fail (OIP_IS_UPLOAD_DIALOG (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
oip_upload_dialog_is_pushing (OipUploadDialog *self)
{
  g_return_val_if_fail (OIP_IS_UPLOAD_DIALOG (self), FALSE);
  return self->cancellable != NULL;
}

/**
 * oip_upload_dialog_is_checking:
 *
 * Returns: whether the pictures from this computer are being checked for
 *   the review, or the web addresses tried
 */
gboolean
oip_upload_dialog_is_checking (OipUploadDialog *self)
{
  g_return_val_if_fail (OIP_IS_UPLOAD_DIALOG (self), FALSE);
  return self->checking || self->n_preloading > 0;
}

gboolean
oip_upload_dialog_succeeded (OipUploadDialog *self)
{
  g_return_val_if_fail (OIP_IS_UPLOAD_DIALOG (self), FALSE);
  return self->succeeded;
}

/**
 * oip_upload_dialog_get_status:
 *
 * Returns: the progress text while pushing, the outcome's title after
 */
const char *
oip_upload_dialog_get_status (OipUploadDialog *self)
{
  g_return_val_if_fail (OIP_IS_UPLOAD_DIALOG (self), NULL);
  if (g_str_equal (oip_upload_dialog_get_page (self), "result"))
    return oip_status_block_get_title (self->result_page);
  return adw_status_page_get_description (self->progress_page);
}

static char *
rows_text (GPtrArray *rows)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      const char *subtitle = ADW_IS_ACTION_ROW (row) ? adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) : NULL;

      g_string_append_printf (text, "%s | %s\n", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                              subtitle ? subtitle : "");
    }
  return g_string_free (text, FALSE);
}

/**
 * oip_upload_dialog_get_review_rows:
 *
 * Returns: (transfer full): what the review says before pushing, one row
 *   a line (“title | subtitle”): for tests
 */
char *
oip_upload_dialog_get_review_rows (OipUploadDialog *self)
{
  g_return_val_if_fail (OIP_IS_UPLOAD_DIALOG (self), NULL);
  return rows_text (self->warning_rows);
}

/**
 * oip_upload_dialog_get_detail_rows:
 *
 * Returns: (transfer full): the result's detail rows, one a line (“title
 *   | subtitle”): for tests
 */
char *
oip_upload_dialog_get_detail_rows (OipUploadDialog *self)
{
  g_return_val_if_fail (OIP_IS_UPLOAD_DIALOG (self), NULL);
  return rows_text (self->detail_rows);
}
