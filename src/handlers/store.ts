/** Tag `store`: long-term memory, JSON items under keys in namespaces, each user's their own. */
import {
  deleteStoreItem,
  getStoreItem,
  listStoreNamespaces,
  putStoreItem,
  searchStoreItems,
} from "../runtime/store/items.ts";
import type { TagHandlers } from "./types.ts";
import { flag } from "./wire.ts";

export const storeHandlers: TagHandlers<
  "putStoreItem" | "getStoreItem" | "deleteStoreItem" | "searchStoreItems" | "listStoreNamespaces"
> = {
  async putStoreItem({ body, access }, { stores }) {
    await putStoreItem(stores, body, access);
    return { status: 204 };
  },

  async getStoreItem({ query, access }, { stores }) {
    // LangGraph's `store.ttl.refresh_on_read` defaults to true: a read refreshes unless told not to.
    const item = await getStoreItem(stores, query, flag(query.refresh_ttl, true), access);
    return { status: 200, body: item };
  },

  async deleteStoreItem({ body, access }, { stores }) {
    await deleteStoreItem(stores, body, access);
    return { status: 204 };
  },

  async searchStoreItems({ body, access }, { stores }) {
    return { status: 200, body: { items: await searchStoreItems(stores, body, access) } };
  },

  async listStoreNamespaces({ body, access }, { stores }) {
    return { status: 200, body: { namespaces: await listStoreNamespaces(stores, body, access) } };
  },
};
