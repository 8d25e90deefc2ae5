CREATE TABLE `alert_channels` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`config` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "alert_channels_kind_check" CHECK("alert_channels"."kind" in ('email', 'webhook', 'inapp'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alert_channels_name_unique` ON `alert_channels` (`name`);--> statement-breakpoint
CREATE TABLE `alert_rule_channels` (
	`rule_id` text NOT NULL,
	`channel_id` text NOT NULL,
	PRIMARY KEY(`rule_id`, `channel_id`),
	FOREIGN KEY (`rule_id`) REFERENCES `alert_rules`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`channel_id`) REFERENCES `alert_channels`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `alert_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`params` text NOT NULL,
	`flow_id` text,
	`cooldown_ms` integer NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`flow_id`) REFERENCES `flows`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alert_rules_name_unique` ON `alert_rules` (`name`);--> statement-breakpoint
CREATE INDEX `alert_rules_flow_idx` ON `alert_rules` (`flow_id`);--> statement-breakpoint
CREATE TABLE `dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`flow_id` text NOT NULL,
	`flow_version` integer NOT NULL,
	`trigger_node_id` text NOT NULL,
	`payload` text NOT NULL,
	`request` text NOT NULL,
	`failed_node` text,
	`failed_input` text,
	`error` text NOT NULL,
	`failures` integer DEFAULT 1 NOT NULL,
	`execution_id` text,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`edited_at` integer,
	`replayed_at` integer,
	`replay_execution_id` text,
	FOREIGN KEY (`flow_id`) REFERENCES `flows`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "dead_letters_status_check" CHECK("dead_letters"."status" in ('open', 'replayed', 'discarded'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dead_letters_event_unique` ON `dead_letters` (`event_id`);--> statement-breakpoint
CREATE INDEX `dead_letters_flow_idx` ON `dead_letters` (`flow_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `dead_letters_created_idx` ON `dead_letters` (`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `incidents` (
	`id` text PRIMARY KEY NOT NULL,
	`rule_id` text NOT NULL,
	`flow_id` text,
	`key` text NOT NULL,
	`opened_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`cleared_at` integer,
	`reopened_at` integer,
	`reopen_count` integer DEFAULT 0 NOT NULL,
	`notified_at` integer,
	`recovery_notified_at` integer,
	`acknowledged_at` integer,
	`acknowledged_by` text,
	`count` integer DEFAULT 1 NOT NULL,
	`summary` text NOT NULL,
	`resolution` text,
	`delivery_error` text,
	FOREIGN KEY (`rule_id`) REFERENCES `alert_rules`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`flow_id`) REFERENCES `flows`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `incidents_open_unique` ON `incidents` (`rule_id`,`key`) WHERE cleared_at is null;--> statement-breakpoint
CREATE INDEX `incidents_rule_key_idx` ON `incidents` (`rule_id`,`key`,`cleared_at`);--> statement-breakpoint
CREATE INDEX `incidents_opened_idx` ON `incidents` (`opened_at`,`id`);