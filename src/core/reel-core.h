/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Everything of the model in one include. */
#include "core/reel-asset.h"
#include "core/reel-camera.h"
#include "core/reel-core-error.h"
#include "core/reel-edit.h"
#include "core/reel-history.h"
#include "core/reel-optics.h"
#include "core/reel-panel.h"
#include "core/reel-plate.h"
#include "core/reel-project.h"
#include "core/reel-scene.h"
#include "core/reel-shot.h"
#include "core/reel-sketch.h"
#include "core/reel-timecode.h"
