/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "oip-status-block.h"

/**
 * OipStatusBlock:
 *
 * An outcome or an empty state: an icon, a title and a description, like
 * AdwStatusPage but without its scrolled window. AdwStatusPage scrolls its
 * own content, so its minimum height is a sliver, and inside scrolled
 * content (which GTK allocates at its minimum) it is squashed as soon as
 * anything follows it. This block asks for the height it needs, so it is
 * always shown whole, first, whatever comes after it.
 */
struct _OipStatusBlock
{
  GtkWidget  parent_instance;

  GtkWidget *box;
  GtkImage  *icon;
  GtkLabel  *title;
  GtkLabel  *description;
};

G_DEFINE_FINAL_TYPE (OipStatusBlock, oip_status_block, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ICON_NAME,
  PROP_TITLE,
  PROP_DESCRIPTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_label (GtkLabel   *label,
           const char *text)
{
  gtk_label_set_text (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static void
oip_status_block_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  OipStatusBlock *self = OIP_STATUS_BLOCK (object);

  switch (prop_id)
    {
    case PROP_ICON_NAME:
      g_value_set_string (value, oip_status_block_get_icon_name (self));
      break;
    case PROP_TITLE:
      g_value_set_string (value, oip_status_block_get_title (self));
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, oip_status_block_get_description (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
oip_status_block_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  OipStatusBlock *self = OIP_STATUS_BLOCK (object);

  switch (prop_id)
    {
    case PROP_ICON_NAME:
      oip_status_block_set_icon_name (self, g_value_get_string (value));
      break;
    case PROP_TITLE:
      oip_status_block_set_title (self, g_value_get_string (value));
      break;
    case PROP_DESCRIPTION:
      oip_status_block_set_description (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
oip_status_block_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), OIP_TYPE_STATUS_BLOCK);
  G_OBJECT_CLASS (oip_status_block_parent_class)->dispose (object);
}

static void
oip_status_block_class_init (OipStatusBlockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = oip_status_block_dispose;
  object_class->get_property = oip_status_block_get_property;
  object_class->set_property = oip_status_block_set_property;

  properties[PROP_ICON_NAME] = g_param_spec_string ("icon-name", NULL, NULL, NULL,
                                                    G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL,
                                                G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL,
                                                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ozonpush/OzonImagePush/oip-status-block.ui");
  gtk_widget_class_bind_template_child (widget_class, OipStatusBlock, box);
  gtk_widget_class_bind_template_child (widget_class, OipStatusBlock, icon);
  gtk_widget_class_bind_template_child (widget_class, OipStatusBlock, title);
  gtk_widget_class_bind_template_child (widget_class, OipStatusBlock, description);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "oip-status-block");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
oip_status_block_init (OipStatusBlock *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
oip_status_block_new (void)
{
  return g_object_new (OIP_TYPE_STATUS_BLOCK, NULL);
}

void
oip_status_block_set_icon_name (OipStatusBlock *self,
                                const char     *icon_name)
{
  g_return_if_fail (OIP_IS_STATUS_BLOCK (self));

  if (g_strcmp0 (icon_name, oip_status_block_get_icon_name (self)) == 0)
    return;
  gtk_image_set_from_icon_name (self->icon, icon_name);
  gtk_widget_set_visible (GTK_WIDGET (self->icon), icon_name != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_NAME]);
}

const char *
oip_status_block_get_icon_name (OipStatusBlock *self)
{
  g_return_val_if_fail (OIP_IS_STATUS_BLOCK (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->icon)) ? gtk_image_get_icon_name (self->icon) : NULL;
}

void
oip_status_block_set_title (OipStatusBlock *self,
                            const char     *title)
{
  g_return_if_fail (OIP_IS_STATUS_BLOCK (self));

  set_label (self->title, title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
oip_status_block_get_title (OipStatusBlock *self)
{
  g_return_val_if_fail (OIP_IS_STATUS_BLOCK (self), NULL);
  return gtk_label_get_text (self->title);
}

void
oip_status_block_set_description (OipStatusBlock *self,
                                  const char     *description)
{
  g_return_if_fail (OIP_IS_STATUS_BLOCK (self));

  set_label (self->description, description);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

const char *
oip_status_block_get_description (OipStatusBlock *self)
{
  g_return_val_if_fail (OIP_IS_STATUS_BLOCK (self), NULL);
  return gtk_label_get_text (self->description);
}
