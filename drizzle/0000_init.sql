CREATE TABLE `execution_nodes` (
	`execution_id` text NOT NULL,
	`node_id` text NOT NULL,
	`seq` integer NOT NULL,
	`status` text NOT NULL,
	`duration_ms` real NOT NULL,
	`items_in` integer NOT NULL,
	`items_out` integer NOT NULL,
	`batches` integer NOT NULL,
	`input_sample` text NOT NULL,
	`output_sample` text NOT NULL,
	`output_counts` text NOT NULL,
	`sample_truncated` text,
	`error` text,
	PRIMARY KEY(`execution_id`, `node_id`),
	FOREIGN KEY (`execution_id`) REFERENCES `executions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `executions` (
	`id` text PRIMARY KEY NOT NULL,
	`flow_id` text NOT NULL,
	`flow_version` integer NOT NULL,
	`mode` text NOT NULL,
	`status` text NOT NULL,
	`trigger_payload` text,
	`error` text,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`duration_ms` integer,
	`heartbeat_at` integer NOT NULL,
	`cancel_requested` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`flow_id`) REFERENCES `flows`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "executions_mode_check" CHECK("executions"."mode" in ('test', 'live')),
	CONSTRAINT "executions_status_check" CHECK("executions"."status" in ('running', 'success', 'failed', 'cancelled'))
);
--> statement-breakpoint
CREATE INDEX `executions_flow_started_idx` ON `executions` (`flow_id`,`started_at`,`id`);--> statement-breakpoint
CREATE INDEX `executions_started_idx` ON `executions` (`started_at`,`id`);--> statement-breakpoint
CREATE INDEX `executions_running_idx` ON `executions` (`heartbeat_at`) WHERE status = 'running';--> statement-breakpoint
CREATE TABLE `flow_versions` (
	`flow_id` text NOT NULL,
	`version` integer NOT NULL,
	`doc` text NOT NULL,
	`note` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`flow_id`, `version`),
	FOREIGN KEY (`flow_id`) REFERENCES `flows`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `flows` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`active` integer DEFAULT false NOT NULL,
	`current_version` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `flows_name_unique` ON `flows` (`name`);--> statement-breakpoint
CREATE TABLE `webhook_routes` (
	`method` text NOT NULL,
	`path` text NOT NULL,
	`flow_id` text NOT NULL,
	`node_id` text NOT NULL,
	FOREIGN KEY (`flow_id`) REFERENCES `flows`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_routes_method_path_unique` ON `webhook_routes` (`method`,`path`);--> statement-breakpoint
CREATE INDEX `webhook_routes_flow_idx` ON `webhook_routes` (`flow_id`);